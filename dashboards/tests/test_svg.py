"""Server-drawn charts: scalable, titled for screen readers, and safe with any label."""

from decimal import Decimal

from dashboards.svg import bar_chart, column_chart


def test_column_chart_scales_and_titles_every_bar():
    svg = column_chart(
        title="2022年各月活动数", labels=["1", "2"], values=[Decimal(3), 0], bar_titles=["1月：3", "2月：0"]
    )
    assert svg.startswith('<svg class="chart chart-columns" viewBox="0 0 360 220" role="img"')
    assert '<title id="' in svg and ">2022年各月活动数</title>" in svg
    assert "<title>1月：3</title>" in svg and "<title>2月：0</title>" in svg
    assert 'height="0.0"' in svg  # an empty month draws no bar
    assert 'height="158.0"' in svg  # the highest bar fills the plot


def test_bar_chart_escapes_labels_and_says_when_there_is_nothing():
    svg = bar_chart(title="类型", labels=["<script>x</script>"], values=[2])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    empty = bar_chart(title="类型", labels=[], values=[], empty_text="本年还没有记录活动。")
    assert "本年还没有记录活动。" in empty and "<rect" not in empty
