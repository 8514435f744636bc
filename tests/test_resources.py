"""Shipped data is found from a checkout (and, by the same rule, inside an installed package)."""

from relboard.resources import data_dir


def test_themes_and_sample_data_are_found():
    assert {p.name for p in data_dir("themes").glob("*.yaml")} >= {
        "relboard-dark.yaml", "relboard-light.yaml", "relboard-high-contrast.yaml",
        "relboard-ansi16.yaml"}
    assert (data_dir("sample_data") / "portfolio.yaml").is_file()
