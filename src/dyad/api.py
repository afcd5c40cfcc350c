"""The JSON API and the web page: ``create_app(db_path)`` → a FastAPI app (``dyad serve`` runs it).

Read endpoints live under ``/api/`` and mirror :mod:`dyad.query`; the page is served from
``dyad/web/`` at ``/``.  The database is opened read-only unless ``allow_ingest`` is set, which
also enables ``POST /api/extract`` (text in → its events out, optionally stored).  Every error is
JSON: ``{"error": "<what is wrong and what to do>"}`` with a 4xx status.  See docs/api.md.
"""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import duckdb
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, StrictBool, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dyad import __version__, query
from dyad.query import EventFilter, QueryError
from dyad.store import Store

WEB = Path(__file__).parent / "web"
MAX_LIMIT = 500
MAX_BODY = 1_000_000  # bytes of a request body
MAX_TEXT = 200_000  # characters of a pasted article
MAX_ECHO = 80  # characters of a user value repeated in an error message
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"rows per page, 1..{MAX_LIMIT}")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="rows to skip")]
Text = Annotated[str | None, Query(max_length=200)]


class ExtractRequest(BaseModel):
    """An article to code: only ``text`` is required.  Validated as strictly as `dyad extract`
    reads JSONL: a real ISO day, a supported language, some text, a JSON boolean for ``store``."""

    text: str = Field(min_length=1, max_length=MAX_TEXT)
    lang: str | None = Field(default=None, pattern=r"^[a-z]{2}$", description="en, fr, es; detected when absent")
    published: str | None = Field(default=None, description="ISO date, YYYY-MM-DD")
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    source: str | None = Field(default=None, max_length=200)
    store: StrictBool = Field(default=False, description="also add the article and its events to the database")

    @field_validator("text")
    @classmethod
    def _has_words(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the text is empty (only whitespace)")
        return value

    @field_validator("lang")
    @classmethod
    def _supported(cls, value: str | None) -> str | None:
        from dyad.language import supported_languages

        if value is not None and value not in supported_languages():
            raise ValueError(f"{value!r} has no language pack; use one of {', '.join(supported_languages())}")
        return value

    @field_validator("published")
    @classmethod
    def _iso_day(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            if len(value) != 10:
                raise ValueError
            date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{_echo(value)} is not an ISO date; use YYYY-MM-DD") from None
        return value


def _echo(value: str) -> str:
    """A user value for an error message, cut to MAX_ECHO characters."""
    return repr(value if len(value) <= MAX_ECHO else value[:MAX_ECHO] + "…")


class _TooLarge(StarletteHTTPException):
    """Raised while the body is read: FastAPI passes HTTP exceptions on (others become a 400)."""

    def __init__(self, max_bytes: int):
        super().__init__(413, f"request body too large (limit {max_bytes} bytes)")


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413, whether or not Content-Length is sent."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await _too_large(send, self.max_bytes)
            return
        seen = 0
        started = False

        async def limited() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge(self.max_bytes)
            return msg

        async def tracked(msg: Message) -> None:
            nonlocal started
            started = started or msg["type"] == "http.response.start"
            await send(msg)

        try:
            await self.app(scope, limited, tracked)
        except _TooLarge:
            if not started:
                await _too_large(send, self.max_bytes)


async def _too_large(send: Send, max_bytes: int) -> None:
    body = json.dumps({"error": f"request body too large (limit {max_bytes} bytes)"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for e in exc.errors():
        where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "body", "path"))
        parts.append(f"{where or 'request'}: {e.get('msg', 'invalid')}")
    return "; ".join(parts)


class HeadAsGet:
    """HEAD on any GET route: answered as the GET, headers only."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(msg: Message) -> None:
            if msg["type"] == "http.response.body":
                msg = {**msg, "body": b""}
            await send(msg)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class StoreBusy(Exception):
    """Another process is writing the database file."""


class Reader:
    """Read-only DuckDB connections, one per request, closed after it: between requests the
    server holds no lock on the file, so `dyad extract` can write it while the page is open, and
    the next request sees what it wrote.  While a writer holds the file, requests get 503."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self.shared = Store(self.path, read_only=True) if self.path == ":memory:" else None

    def cursor(self) -> Iterator[Any]:
        if self.shared is not None:
            con = self.shared.con.cursor()
        else:
            try:
                con = duckdb.connect(self.path, read_only=True)
            except duckdb.IOException as exc:
                if "lock" in str(exc).lower():
                    raise StoreBusy from exc
                raise
        try:
            yield con
        finally:
            con.close()

    def close(self) -> None:
        if self.shared is not None:
            self.shared.close()


def _con(request: Request) -> Iterator[Any]:
    """A connection (a cursor of the writer's, with --allow-ingest) per request."""
    store = request.app.state.store
    if store is not None:
        cur = store.con.cursor()
        try:
            yield cur
        finally:
            cur.close()
        return
    yield from request.app.state.reader.cursor()


def _event_filter(
    actor: Text = None, country: Text = None, dyad: Text = None, directed: bool = False,
    type: Text = None, quad: Text = None, since: Text = None, until: Text = None,
    text: Text = None, article: Text = None, lang: Text = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1, description="confidence 0..1 or more")] = None,
    mentions: Annotated[bool, Query(description="article-level events instead of corpus events")] = False,
) -> EventFilter:
    return EventFilter(actor=actor, country=country, dyad=dyad, directed=directed, type=type, quad=quad,
                       since=since, until=until, text=text, article=article, lang=lang,
                       min_confidence=min_confidence, mentions=mentions)


Con = Annotated[Any, Depends(_con)]
Filter = Annotated[EventFilter, Depends(_event_filter)]


def create_app(db_path: str | Path = "dyad.duckdb", allow_ingest: bool = False) -> FastAPI:
    """A FastAPI app over the store at ``db_path``: read through a connection per request, or
    with ``allow_ingest`` through the one writing connection it then holds."""
    if allow_ingest:
        store, reader = Store(db_path), None
    else:
        Store(db_path, read_only=True).close()  # a clear error now if there is no store there
        store, reader = None, Reader(db_path)
    write_lock = threading.Lock()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if store is not None:
            store.close()
        if reader is not None:
            reader.close()

    app = FastAPI(title="dyad", version=__version__, lifespan=lifespan,
                  description="PLOVER political events extracted from news articles: events, actors, dyads, quotes.")
    app.state.store = store  # the writer, with allow_ingest only
    app.state.reader = reader
    app.state.allow_ingest = allow_ingest
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY)
    app.add_middleware(HeadAsGet)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.exception_handler(RequestValidationError)
    async def on_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(400, _validation_message(exc))

    @app.exception_handler(QueryError)
    async def on_query_error(_: Request, exc: QueryError) -> JSONResponse:
        return _error(400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(StoreBusy)
    async def on_busy(_: Request, exc: StoreBusy) -> JSONResponse:
        response = _error(503, "the database is being written by another process (dyad extract); "
                               "try again in a moment")
        response.headers["Retry-After"] = "5"
        return response

    # -- reads ------------------------------------------------------------------------------------

    @app.get("/api/events", summary="Events matching the filters, newest first")
    def events(c: Con, f: Filter, limit: Limit = 50, offset: Offset = 0, sort: str = "date",
               order: str = Query("desc", pattern="^(asc|desc)$"),
               after: Annotated[str | None, Query(max_length=200, description=(
                   "keyset pagination (sort=date): DAY,ID of the last event of the previous page, "
                   "the previous answer's `next`"))] = None) -> dict[str, Any]:
        return query.page(c, f, limit=limit, offset=offset, sort=sort, descending=order == "desc", after=after)

    # ids may hold "/", "." or ".." (an input's own id, a file path): the rest of the path is the id
    @app.get("/api/events/{event_id:path}",
             summary="One event with its evidence, its article text, and every article that reports it")
    def event(c: Con, event_id: str, mentions: bool = False) -> dict[str, Any]:
        d = query.event_detail(c, event_id, mentions=mentions)
        if d is None:
            raise HTTPException(404, f"no event {_echo(event_id)}")
        return d

    @app.get("/api/articles/{article_id:path}", summary="One article with its text, events and quotes")
    def article(c: Con, article_id: str) -> dict[str, Any]:
        d = query.article_detail(c, article_id)
        if d is None:
            raise HTTPException(404, f"no article {_echo(article_id)}")
        return d

    @app.get("/api/actors", summary="Actors with event and quote counts")
    def actors(c: Con, name: Text = None, country: Text = None, kind: Text = None, sector: Text = None,
               limit: Limit = 50, offset: Offset = 0, sort: str = "mentions", mentions: bool = False) -> dict[str, Any]:
        kw = {"name": name, "country": country, "kind": kind, "sector": sector}
        rows = query.actors(c, **kw, limit=limit, offset=offset, sort=sort, mentions=mentions)
        return {"total": query.count_actors(c, **kw), "limit": limit, "offset": offset, "actors": rows}

    @app.get("/api/dyads", summary="Counts and mean intensity per dyad per period, cooperation vs conflict")
    def dyads(c: Con, f: Filter, by: str = "month", level: str = "country", limit: Limit = 500,
              offset: Offset = 0) -> dict[str, Any]:
        rows = query.dyads(c, f, by=by, level=level, directed=f.directed, limit=limit, offset=offset)
        return {"by": by, "level": level, "directed": f.directed, "dyads": rows}

    @app.get("/api/quotes", summary="Quotes by speaker, country, text, dates")
    def quotes(c: Con, speaker: Text = None, country: Text = None, text: Text = None, since: Text = None,
               until: Text = None, lang: Text = None, article: Text = None, limit: Limit = 50,
               offset: Offset = 0) -> dict[str, Any]:
        kw = {"speaker": speaker, "country": country, "text": text, "since": since, "until": until, "lang": lang,
              "article": article}
        rows = query.quotes(c, **kw, limit=limit, offset=offset)
        return {"total": query.count_quotes(c, **kw), "limit": limit, "offset": offset, "quotes": rows}

    @app.get("/api/places", summary="Event places with coordinates and counts (for maps)")
    def places(c: Con, f: Filter, limit: Limit = 500) -> dict[str, Any]:
        return {"places": query.places(c, f, limit=limit)}

    @app.get("/api/network", summary="Actor network: nodes and source→target edges")
    def network(c: Con, f: Filter, limit: Limit = 200) -> dict[str, Any]:
        return query.network(c, f, limit=limit)

    @app.get("/api/stats", summary="Counts, date span, breakdowns")
    def stats(c: Con) -> dict[str, Any]:
        return query.stats(c)

    @app.get("/api/config", summary="What this server allows")
    def config() -> dict[str, Any]:
        return {"version": __version__, "allow_ingest": allow_ingest, "max_limit": MAX_LIMIT,
                "types": list(query.PLOVER_TYPES), "quads": list(query.QUADS)}

    # -- ingest -----------------------------------------------------------------------------------

    @app.post("/api/extract", summary="Code a pasted article (needs `dyad serve --allow-ingest`)")
    def extract(req: ExtractRequest) -> dict[str, Any]:
        if not allow_ingest:
            raise HTTPException(403, "ingest is disabled: start the server with `dyad serve --allow-ingest`")
        try:
            from dyad.pipeline import extract as run_pipeline
        except ImportError as exc:
            raise HTTPException(503, f"the extraction pipeline is not available: {exc}") from exc
        try:
            art = run_pipeline(req.text, lang=req.lang, published=req.published)
        except Exception as exc:  # the pipeline's own typed errors carry their fix in the message
            raise HTTPException(422, f"extraction failed: {exc}") from exc
        for k in ("title", "url", "source"):
            if getattr(req, k) is not None:
                setattr(art, k, getattr(req, k))
        stored = None
        if req.store and store is not None:
            with write_lock:
                stored = store.add([art]).__dict__
        else:
            from dyad.store import assign_ids

            assign_ids(art)
        out = art.to_dict(with_text=False)
        out.update(title=art.title, stored=stored)
        return out

    # -- the page ---------------------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB / "index.html")

    app.mount("/static", StaticFiles(directory=WEB), name="static")
    return app
