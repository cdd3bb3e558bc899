"""The README's questions on the dataset, answered and drawn: a marimo app for analysts.

marimo edit notebooks/analysts.py                        # the warehouse of ./rassegna.toml
marimo run notebooks/analysts.py -- --config my.toml     # another configuration, as an app
python notebooks/analysts.py --config my.toml            # as a script (what the tests do)
"""

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")


@app.cell
def _():
    import marimo as mo
    from matplotlib.figure import Figure

    from flows.query import EXAMPLES, run_query
    from flows.settings import load
    from flows.warehouse import Warehouse

    return EXAMPLES, Figure, Warehouse, load, mo, run_query


@app.cell
def _(Warehouse, load, mo):
    settings = load(mo.cli_args().get("config"))
    warehouse = Warehouse(settings.warehouse.folder)
    mo.md(f"# rassegna: what the dataset says\n\nWarehouse `{warehouse.folder}`; SQL from `flows/query.py` `EXAMPLES`.")
    return (warehouse,)


@app.cell
def _(EXAMPLES, run_query, warehouse):
    answers = {question: run_query(warehouse, sql) for question, sql in EXAMPLES}
    return (answers,)


@app.cell
def _(Figure):
    TONE_COLOURS = {"positive": "#2e7d32", "neutral": "#9e9e9e", "negative": "#c62828"}

    def bars(frame, label, value, title):
        figure = Figure(figsize=(7, 0.35 * len(frame) + 1.2), layout="constrained")
        axes = figure.subplots()
        axes.barh(frame[label][::-1], frame[value][::-1], color="#1565c0")
        axes.set_title(title)
        return figure

    def tone_shares(frame, label, title):
        figure = Figure(figsize=(7, 0.35 * len(frame) + 1.2), layout="constrained")
        axes = figure.subplots()
        left = 0
        for tone, colour in TONE_COLOURS.items():
            axes.barh(frame[label][::-1], frame[tone][::-1], left=left, color=colour, label=tone)
            left = left + frame[tone][::-1].to_numpy()
        axes.legend(loc="lower right")
        axes.set_title(title)
        return figure

    def places(frame, title):
        counts = frame.explode("places")["places"].value_counts().rename_axis("place").reset_index(name="articles")
        return bars(counts, "place", "articles", title)

    def weekly(frame, title):
        figure = Figure(figsize=(7, 3.5), layout="constrained")
        axes = figure.subplots()
        for theme, rows in frame.groupby("theme"):
            axes.plot(rows["week"], rows["articles"], marker="o", label=theme)
        axes.legend(fontsize="small")
        axes.set_title(title)
        return figure

    CHARTS = [
        lambda frame: bars(frame, "organisation", "articles", "Articles per organisation, latest month"),
        lambda frame: tone_shares(frame, "source", "Articles by tone, per source"),
        lambda frame: places(frame, "Articles per place in Lombardia"),
        lambda frame: tone_shares(frame, "organisation", "Mentions by tone, per organisation"),
        lambda frame: weekly(frame, "Articles per theme, week by week"),
    ]
    return (CHARTS,)


@app.cell
def _(CHARTS, answers):
    figures = {
        question: draw(frame) for (question, frame), draw in zip(answers.items(), CHARTS, strict=True) if len(frame)
    }
    return (figures,)


@app.cell
def _(answers, figures, mo):
    mo.vstack(
        [
            mo.vstack([mo.md(f"## {question}"), figures.get(question, mo.md("_no data yet_")), mo.ui.table(frame)])
            for question, frame in answers.items()
        ]
    )
    return


if __name__ == "__main__":
    app.run()
