"""The Text API's commands: ``fastscratch textapi serve``, ``fastscratch analyze FILE`` and the
options of ``fastscratch demo headlines`` (its dispatch is in ``cli.cmd_demo``)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fastscratch.errors import UsageError


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--port takes an integer, got {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"--port must be from 0 to 65535, got {port}")
    return port


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def _years(text: str) -> tuple[int, ...]:
    try:
        years = tuple(int(y) for y in text.split(",") if y.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"--years takes comma-separated years, got {text!r}") from None
    if not years or any(not 1851 <= y <= 2100 for y in years):
        raise argparse.ArgumentTypeError(f"--years takes years the Archive API has (1851 on), got {text!r}")
    return years


def cmd_textapi_serve(args) -> int:
    """``fastscratch textapi serve``: The Text API's endpoints on a local server until interrupted."""
    from fastscratch.app.textapi_server import serve

    if args.host not in ("127.0.0.1", "localhost", "::1") and args.api_key is None:
        print(f"fastscratch: note: serving on {args.host}, beyond this machine, without --api-key", file=sys.stderr)
    serve(args.host, args.port, api_key=args.api_key, max_body=args.max_body, spacy_model=args.spacy_model,
          quiet=args.quiet, say=lambda m: print(m, file=sys.stderr, flush=True))
    return 0


def cmd_analyze(args) -> int:
    """``fastscratch analyze FILE``: the Twitter post's four results for a file of posts."""
    from fastscratch.app.analyze import analyze_posts

    if not Path(args.file).is_file():
        raise UsageError(f"{args.file}: no such file")
    result = analyze_posts(Path(args.file), spacy_model=args.spacy_model, proportion=args.proportion,
                           num_phrases=args.num_phrases, text_column=args.text_column)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
        return 0
    print(f"{result.posts} posts ({result.characters} characters, joined as the post joins them) in "
          f"{result.seconds:.3f} s")
    print(f"summary: {result.summary}")
    if result.most_common_entities is None:
        print("most common entities: (needs a spaCy pipeline: --spacy-model NAME)")
    else:
        print("most common entities: " + (", ".join(f"{k}: {v}" for k, v in result.most_common_entities.items())
                                          or "(none found)"))
    print("most common phrases: " + ("; ".join(result.most_common_phrases) or "(none)"))
    print(f"polarity: {result.polarity}")
    return 0


def add_textapi_commands(sub, command) -> None:
    """Add ``textapi serve`` and ``analyze`` to the ``fastscratch`` parser's subcommands ``sub``
    (``command`` makes a subcommand with ``--quiet`` and ``--json``), and ``--nyt`` to ``demo``."""
    from fastscratch.app.analyze import NUM_PHRASES, PROPORTION
    from fastscratch.app.textapi_server import DEFAULT_HOST, DEFAULT_PORT, MAX_BODY

    api = sub.add_parser("textapi", help="The Text API's endpoints, offline", description="The Text API, offline.")
    actions = api.add_subparsers(dest="textapi_command", metavar="ACTION", required=True)
    p = actions.add_parser(
        "serve", help="serve The Text API's endpoints locally (POST /text/<endpoint>)",
        description="Serve The Text API's endpoints (sentences_with_keywords, text_polarity, most_common_phrases, "
                    "summarize, ner) on a local HTTP server, with the posts' paths, bodies and answers. Bad "
                    "requests get JSON errors with a 4xx status. Ctrl-C stops it.")
    p.set_defaults(func=cmd_textapi_serve)
    p.add_argument("--host", default=DEFAULT_HOST, help="address to bind (default: %(default)s, this machine only)")
    p.add_argument("--port", type=_port, default=DEFAULT_PORT, help="default: %(default)s")
    p.add_argument("--api-key", default=None, help="require this value in every request's apikey header")
    p.add_argument("--max-body", type=_positive, default=MAX_BODY,
                   help="largest request body in bytes; larger ones get 413 (default: %(default)s)")
    p.add_argument("--spacy-model", default=None,
                   help="installed spaCy pipeline for /text/ner (default: en_core_web_sm; without one, ner "
                        "answers 501)")
    p.add_argument("--quiet", "-q", action="store_true", help="no request log on stderr")

    p = command("analyze", cmd_analyze, "the Twitter post's analysis of a file of posts: summary, most common "
                                        "entity per type, most common phrases, polarity")
    p.add_argument("file", help="posts: .txt (one per line), .csv, .jsonl or .parquet")
    p.add_argument("--text-column", default="text", help="column of posts in a CSV, JSON-lines or Parquet file "
                                                         "(default: %(default)s)")
    p.add_argument("--spacy-model", default=None,
                   help="installed spaCy pipeline for the entities (e.g. en_core_web_sm); without it they are skipped")
    p.add_argument("--proportion", type=float, default=PROPORTION,
                   help="summary's share of sentences (default: %(default)s, the post's)")
    p.add_argument("--num-phrases", type=_positive, default=NUM_PHRASES, help="default: %(default)s, the post's")

    demo = sub.choices["demo"]
    demo.add_argument("--nyt", metavar="FOLDER", default=None,
                      help="headlines: NYT Archive API files FOLDER/{year}/{Month}.json (default: the generated "
                           "sample)")
    demo.add_argument("--years", type=_years, default=(2020, 2021),
                      help="headlines: the years to read, comma-separated (default: 2020,2021, as the post)")
