"""The `lurewatch` command: score, train, eval, serve, crawl, db and keys.

Each subcommand imports only what it needs, so `score` never loads the web stack or Scrapy.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from lurewatch import __version__
from lurewatch.errors import CliError


def _cmd_score(args: argparse.Namespace) -> int:
    from lurewatch.score_command import run_score

    return run_score(args.file, args.lang, args.batch_size)


def _cmd_train(args: argparse.Namespace) -> int:
    from lurewatch.train_command import run_train

    return run_train(args.output, args.with_reviews)


def _cmd_eval(args: argparse.Namespace) -> int:
    from lurewatch.eval_command import run_eval

    return run_eval(args.file, args.json)


def _cmd_serve(args: argparse.Namespace) -> int:
    from lurewatch.serve_command import run_serve

    return run_serve(args.host, args.port, args.demo)


def _cmd_crawl(args: argparse.Namespace) -> int:
    try:
        from lurewatch.crawl_command import run_crawl
    except ImportError as exc:
        raise CliError(f"the crawler is not installed ({exc.name}): "
                       "install lurewatch[crawler]") from exc
    return run_crawl(args)


def _cmd_db(args: argparse.Namespace) -> int:
    from lurewatch.db_command import run_db

    return run_db(args.action)


def _cmd_keys(args: argparse.Namespace) -> int:
    from lurewatch import keys_command

    if args.keys_command == "list":
        return keys_command.run_keys_list()
    if args.keys_command == "revoke":
        return keys_command.run_keys_revoke(args.key)
    return keys_command.run_keys_create(args.role, args.name)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="lurewatch",
        description="Warns about job ads that lure people into scam compounds, with reasons.",
    )
    parser.add_argument("--version", action="version", version=f"lurewatch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    score = sub.add_parser("score", help="score ads read as JSON Lines",
                           description="Score ads read as JSON Lines from FILE or standard input; "
                           "write one JSON result per line to standard output.")
    score.add_argument("file", nargs="?", default="-", metavar="FILE",
                       help="JSON Lines file of ads ('-' or nothing: standard input)")
    score.add_argument("--lang", default="en",
                       help="language of the reason messages (en, my, vi, th, id, tl, zh, km, "
                       "sw, es)")
    score.add_argument("--batch-size", type=int, default=256, help=argparse.SUPPRESS)
    score.set_defaults(handler=_cmd_score)

    train = sub.add_parser("train", help="rebuild the model from the labelled corpus",
                           description="Rebuild the model reproducibly from the shipped corpus.")
    train.add_argument("-o", "--output", default=None, metavar="PATH",
                       help="where to write the model (default: the packaged model file)")
    train.add_argument("--with-reviews", action="store_true",
                       help="also learn from reviewers' decisions stored in the database")
    train.set_defaults(handler=_cmd_train)

    evaluate = sub.add_parser("eval", help="measure the scorer on labelled ads",
                              description="Score labelled JSON Lines (the score input plus "
                              "'label': lure | legit | scam) and print quality figures overall "
                              "and per language.")
    evaluate.add_argument("file", metavar="FILE", help="labelled JSON Lines file")
    evaluate.add_argument("--json", action="store_true", help="machine-readable output")
    evaluate.set_defaults(handler=_cmd_eval)

    serve = sub.add_parser("serve", help="run the API and the NGO review desk",
                           description="Run the API and the NGO review desk. "
                           "LUREWATCH_DATABASE_URL (an SQLAlchemy URL) overrides the embedded "
                           "SQLite database.")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo", action="store_true",
                       help="when the database holds no listings, crawl the bundled demo job "
                       "site first")
    serve.set_defaults(handler=_cmd_serve)

    crawl = sub.add_parser("crawl", help="crawl job postings, score and store them",
                           description="Crawl from URLs (or a sources file), score and store "
                           "every posting, and write each as a JSON line.")
    crawl.add_argument("urls", nargs="*", metavar="URL")
    crawl.add_argument("-o", "--output", default=None, metavar="FILE",
                       help="JSON Lines output file ('-' for standard output)")
    crawl.add_argument("--sources", default=None, metavar="FILE", help="TOML sources file")
    crawl.add_argument("--render", choices=("auto", "always", "never"), default="auto",
                       help="render pages with Chromium: auto (only pages built by script), "
                       "always or never")
    crawl.add_argument("--max-pages", type=int, default=0, help="stop after this many pages")
    crawl.add_argument("--no-store", action="store_true", help="do not write to the database")
    crawl.add_argument("--jobdir", default=None, help="directory to pause and resume the crawl")
    crawl.add_argument("--distributed", action="store_true",
                       help="share the crawl with other processes through Redis "
                       "(LUREWATCH_REDIS_URL)")
    crawl.add_argument("--ignore-robots", action="store_true", help=argparse.SUPPRESS)
    crawl.set_defaults(handler=_cmd_crawl)

    db = sub.add_parser("db", help="database migrations",
                        description="Manage the database that LUREWATCH_DATABASE_URL names.")
    db.add_argument("action", choices=("upgrade",))
    db.set_defaults(handler=_cmd_db)

    keys = sub.add_parser("keys", help="API keys", description="Manage API keys.")
    keys_sub = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    create = keys_sub.add_parser("create", help="create a key and print it once",
                                 description="Create an API key and print it alone on "
                                 "standard output, once.")
    create.add_argument("--role", required=True, choices=("platform", "reviewer", "admin"))
    create.add_argument("--name", default="", help="a label for the key")
    create.set_defaults(handler=_cmd_keys)
    listing = keys_sub.add_parser("list", help="list keys (id, prefix, role, state, name)",
                                  description="List the keys: id, prefix, role, state, name.")
    listing.set_defaults(handler=_cmd_keys)
    revoke = keys_sub.add_parser("revoke", help="revoke a key by id or prefix",
                                 description="Revoke a key by its id or its prefix (shown by "
                                 "`keys list`); a running server refuses it within seconds.")
    revoke.add_argument("key", metavar="ID_OR_PREFIX")
    revoke.set_defaults(handler=_cmd_keys)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return handler(args)
    except CliError as exc:
        print(f"lurewatch: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
