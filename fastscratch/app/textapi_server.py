"""``fastscratch textapi serve``: The Text API's endpoints on a local server (aiohttp).

The two Text API posts send ``POST {text_url}<endpoint>`` with ``Content-Type: application/json``
and an ``apikey`` header, ten requests at a time. This server answers those requests with
:mod:`fastscratch.textapi`, so the posts' code runs unchanged with
``text_url = "http://127.0.0.1:8000/text/"``:

=========================== ================================================ ===================================
path                        body                                             answer
=========================== ================================================ ===================================
``/text/sentences_with_keywords`` ``{"text", "keywords": [str, ...]}``       ``{keyword: [sentence, ...]}``
``/text/text_polarity``     ``{"text"}``                                     ``{"text polarity": float}``
``/text/most_common_phrases`` ``{"text", "num_phrases": 3}``                 ``{"most common phrases": [str]}``
``/text/summarize``         ``{"text", "proportion": 0.3}``                  ``{"summary": str}``
``/text/ner``               ``{"text", "labels": "ARTICLE"}``                ``{"ner": [[type, name], ...]}``
=========================== ================================================ ===================================

- It binds to 127.0.0.1 unless told otherwise. With ``api_key`` set, a request without that
  ``apikey`` header gets 401; without it, the header is accepted and ignored.
- A bad request gets a JSON answer ``{"error": message, "status": code}``: 400 for a body that is
  not a JSON object, a missing ``text``, a field of the wrong type or out of range; 413 for a body
  over ``max_body`` bytes (8 MiB by default); 404 and 405 for a wrong path or method; 501 for
  ``ner`` without a spaCy pipeline. Anything unexpected is a 500 with a message, logged; the
  server goes on.
- Requests are read and answered concurrently by the event loop; the text work runs in one worker
  thread beside it (the kernels release the GIL), one request after another.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from fastscratch.errors import FastscratchError, MissingExtraError
from fastscratch.extras import require_extra

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "MAX_BODY", "ENDPOINTS", "make_app", "serve", "running_server",
           "BadRequest"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MAX_BODY = 8 << 20
"""The largest request body accepted, in bytes (8 MiB): about 8 million characters of text."""
DEFAULT_PROPORTION = 0.3
DEFAULT_NUM_PHRASES = 3

log = logging.getLogger("fastscratch.textapi")


class BadRequest(FastscratchError, ValueError):
    """A request body the endpoint cannot take (answered with status 400)."""


def _field(body: dict, name: str, kinds, default=None, required: bool = False):
    """``body[name]``, checked to be of one of ``kinds`` (never a JSON true/false); ``default`` when absent."""
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    if name not in body:
        if required:
            raise BadRequest(f"the body has no {name!r}")
        return default
    value = body[name]
    if isinstance(value, bool) or not isinstance(value, kinds):
        wanted = " or ".join(_KIND_NAMES[k] for k in kinds)
        raise BadRequest(f"{name!r} must be {wanted}, not {_json_type(value)}")
    return value


_KIND_NAMES = {str: "a string", list: "a list", int: "an integer", float: "a number"}


def _json_type(value) -> str:
    return {str: "a string", bool: "true/false", int: "a number", float: "a number", list: "a list",
            dict: "an object", type(None): "null"}.get(type(value), type(value).__name__)


def _text(body: dict) -> str:
    return _field(body, "text", str, required=True)


def _keywords(body: dict):
    from fastscratch.textapi import sentences_with_keywords

    keywords = _field(body, "keywords", list, required=True)
    if not keywords or not all(isinstance(k, str) and k.strip() for k in keywords):
        raise BadRequest("'keywords' must be a non-empty list of non-empty strings")
    return sentences_with_keywords(_text(body), keywords)


def _polarity(body: dict):
    from fastscratch.textapi import text_polarity

    return {"text polarity": text_polarity(_text(body))}


def _phrases(body: dict):
    from fastscratch.textapi import most_common_phrases

    n = _field(body, "num_phrases", int, DEFAULT_NUM_PHRASES)
    if not 1 <= n <= 10_000:
        raise BadRequest(f"'num_phrases' must be from 1 to 10000, not {n}")
    return {"most common phrases": most_common_phrases(_text(body), n)}


def _summary(body: dict):
    from fastscratch.textapi import summarize

    proportion = _field(body, "proportion", (float, int), DEFAULT_PROPORTION)
    if not 0 < proportion <= 1:
        raise BadRequest(f"'proportion' must be in (0, 1], not {proportion}")
    return {"summary": summarize(_text(body), proportion)}


def _entities(body: dict, nlp):
    from fastscratch.textapi import ner
    from fastscratch.textapi.entities import LABEL_SETS

    labels = _field(body, "labels", (str, list), "ARTICLE")
    if isinstance(labels, str) and labels.upper() not in LABEL_SETS:
        raise BadRequest(f"'labels' must be one of {', '.join(LABEL_SETS)} or a list of entity labels, not {labels!r}")
    if isinstance(labels, list) and not all(isinstance(x, str) for x in labels):
        raise BadRequest("'labels' must be a string or a list of strings")
    text = _text(body)
    return {"ner": ner(text, labels, nlp=nlp())}


ENDPOINTS = ("sentences_with_keywords", "text_polarity", "most_common_phrases", "summarize", "ner")
"""The Text API endpoints served, under ``/text/``."""


def make_app(*, api_key: str | None = None, max_body: int = MAX_BODY, nlp=None, spacy_model: str | None = None):
    """The aiohttp application.

    Parameters
    ----------
    api_key : str, optional
        When given, every request must carry it in its ``apikey`` header.
    max_body : int
        The largest body accepted, in bytes.
    nlp : spacy.language.Language, optional
        The pipeline of ``/text/ner``; else ``spacy_model`` (default ``en_core_web_sm``) is loaded
        on the first ``ner`` request.
    """
    web = require_extra("aiohttp.web", "The Text API server", "textapi")
    from fastscratch.textapi.entities import DEFAULT_MODEL, load_pipeline

    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fastscratch-textapi")

    def pipeline():
        return nlp if nlp is not None else load_pipeline(spacy_model or DEFAULT_MODEL)

    handlers = {"sentences_with_keywords": _keywords, "text_polarity": _polarity, "most_common_phrases": _phrases,
                "summarize": _summary, "ner": lambda body: _entities(body, pipeline)}

    def error(status: int, message: str):
        return web.json_response({"error": message, "status": status}, status=status)

    @web.middleware
    async def json_errors(request, handler):
        try:
            return await handler(request)
        except web.HTTPRequestEntityTooLarge:
            return error(413, f"the body is larger than {max_body} bytes")
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            return error(exc.status, exc.reason)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # never let one request take the server down
            log.exception("textapi: %s %s failed", request.method, request.path)
            return error(500, f"internal error: {type(exc).__name__}: {exc}")

    @web.middleware
    async def require_key(request, handler):
        if api_key is not None:
            given = request.headers.get("apikey", "")
            if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), api_key.encode("utf-8")):
                return error(401, "missing or wrong apikey header")
        return await handler(request)

    async def endpoint(request):
        name = request.match_info["endpoint"]
        if name not in handlers:
            return error(404, f"no endpoint {name!r}; the endpoints are {', '.join(ENDPOINTS)}")
        raw = await request.read()
        try:
            body = json.loads(raw)
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # ValueError: also a 5,000-digit integer
            return error(400, f"the body is not JSON this server reads: {type(exc).__name__}: {exc}")
        if not isinstance(body, dict):
            return error(400, f"the body must be a JSON object, not {_json_type(body)}")
        loop = asyncio.get_running_loop()
        try:
            answer = await loop.run_in_executor(worker, handlers[name], body)
        except BadRequest as exc:
            return error(400, str(exc))
        except MissingExtraError as exc:
            return error(501, str(exc))
        except FastscratchError as exc:
            return error(400, str(exc))
        return web.json_response(answer)

    async def index(request):
        return web.json_response({"endpoints": [f"/text/{e}" for e in ENDPOINTS], "method": "POST",
                                  "api_key_required": api_key is not None, "max_body": max_body})

    async def close_worker(app):
        worker.shutdown(wait=False, cancel_futures=True)

    app = web.Application(middlewares=[json_errors, require_key], client_max_size=max_body)
    app.router.add_post("/text/{endpoint}", endpoint)
    app.router.add_get("/", index)
    app.router.add_get("/text/", index)
    app.on_cleanup.append(close_worker)
    return app


def _warm_up() -> None:
    """Build the character tables and load the kernels before the first request."""
    from fastscratch.textapi import most_common_phrases, sentences_with_keywords, summarize, text_polarity

    text_polarity("good")
    sentences_with_keywords("a b.", ["a"])
    most_common_phrases("a b", 1)
    summarize("a b.", 0.5)


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, api_key: str | None = None,
          max_body: int = MAX_BODY, nlp=None, spacy_model: str | None = None, quiet: bool = False,
          say=print) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM), then shut down cleanly."""
    web = require_extra("aiohttp.web", "The Text API server", "textapi")
    _warm_up()
    app = make_app(api_key=api_key, max_body=max_body, nlp=nlp, spacy_model=spacy_model)
    if not quiet:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    key = "required (apikey header)" if api_key is not None else "not required"
    say(f"fastscratch textapi: The Text API on http://{host}:{port}/text/ (endpoints: {', '.join(ENDPOINTS)}; "
        f"api key {key}; bodies up to {max_body} bytes); Ctrl-C stops it")
    web.run_app(app, host=host, port=port, print=None, access_log=None if quiet else logging.getLogger("aiohttp"),
                handle_signals=True)


@contextlib.contextmanager
def running_server(host: str = DEFAULT_HOST, port: int = 0, **options):
    """Run the server in a background thread for the duration of a ``with`` block; yields its base
    URL (``http://127.0.0.1:PORT/text/``). ``port=0`` takes a free port. Stops it on exit."""
    web = require_extra("aiohttp.web", "The Text API server", "textapi")
    _warm_up()
    loop = asyncio.new_event_loop()
    started = threading.Event()
    state: dict = {}

    async def start():
        runner = web.AppRunner(make_app(**options), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        state["runner"] = runner
        state["port"] = runner.addresses[0][1]

    def run():
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(start())
        except BaseException as exc:  # reported to the caller below
            state["error"] = exc
            started.set()
            return
        started.set()
        loop.run_forever()
        loop.run_until_complete(state["runner"].cleanup())
        loop.close()

    thread = threading.Thread(target=run, name="fastscratch-textapi-server", daemon=True)
    thread.start()
    started.wait()
    if "error" in state:
        thread.join()
        raise state["error"]
    try:
        yield f"http://{host}:{state['port']}/text/"
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
