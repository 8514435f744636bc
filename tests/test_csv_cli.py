"""``relboard export/import --format csv --only KIND``: exit codes and one-line messages."""

from __future__ import annotations

from relboard.__main__ import main


def test_csv_on_the_command_line(tmp_path, capsys):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {tmp_path / 'one.db'}\nuser: ann\n")
    people = tmp_path / "people.csv"  # the .csv name chooses the format
    (tmp_path / "Customers-2026.csv").write_text("name,tier\nAcme,key\n")  # the kind: its name
    assert main(["--config", str(cfg), "--create", "import",
                 str(tmp_path / "Customers-2026.csv")]) == 0
    assert "imported 1 record: 1 customer" in capsys.readouterr().out
    people.write_text("customer,name,role\nAcme,Pat,=cmd|' /C calc'!A0\nAcme,Sam,\n")
    assert main(["--config", str(cfg), "import", "--only", "stakeholders", str(people)]) == 0
    people.write_text("customer,name,influence\nAcme,Lee,9\n")
    assert main(["--config", str(cfg), "import", "--only", "stakeholders", str(people)]) == 2
    assert capsys.readouterr().err == (f"relboard: {people}:2:3: influence: must be between "
                                       "1 and 5\n")
    assert main(["--config", str(cfg), "import", str(people)]) == 2
    assert "say which kind with --only KIND" in capsys.readouterr().err
    assert main(["--config", str(cfg), "export", "--format", "csv", "--only", "stakholders"]) == 2
    assert "did you mean stakeholders?" in capsys.readouterr().err
    assert main(["--config", str(cfg), "export", "--format", "csv", "--only", "stakeholders"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert [row.split(",ann,")[0].rsplit(",", 1)[0] for row in rows[1:]] == [
        "Acme,Pat,'=cmd|' /C calc'!A0,,,email,3,3,neutral,supportive,,no,1",
        "Acme,Sam,,,,email,3,3,neutral,supportive,,no,1"]  # with the model's defaults
    out = tmp_path / "out.csv"
    assert main(["--config", str(cfg), "export", "--only", "customers", str(out)]) == 0
    assert out.read_text().startswith("name,industry,tier,")
