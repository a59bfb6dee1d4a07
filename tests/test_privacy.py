"""Health data stays private: no network, no notes unless asked, no formulas in CSVs,
no code run from data, servers on 127.0.0.1 with a token."""

from __future__ import annotations

import csv
import ipaddress
import re
import socket
from pathlib import Path

import pandas as pd
import pytest

import backrx_analysis as bx
from backrx_analysis.report.tables import neutralize_formula, write_spreadsheet_csv

ROOT = Path(__file__).resolve().parents[1]
MARK = "PRIVATE-NOTE-7f3c"


def _is_local(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture
def network_guard(monkeypatch):
    """Refuse (and record) every connection or name lookup that is not loopback,
    before any packet could leave."""
    attempts: list[str] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(address) -> None:
        host = address[0] if isinstance(address, tuple) else ""
        if isinstance(address, tuple) and not _is_local(str(host)):
            attempts.append(str(address))
            raise ConnectionRefusedError(f"blocked by the test: {address}")

    def connect(self, address):
        check(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        check(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if host is not None and not _is_local(str(host)):
            attempts.append(f"lookup {host}")
            raise socket.gaierror(f"blocked by the test: lookup of {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


def test_the_guard_catches_an_attempt(network_guard):
    with socket.socket() as s, pytest.raises(ConnectionRefusedError):
        s.connect(("192.0.2.1", 9))  # TEST-NET-1; refused before any packet
    assert network_guard == ["('192.0.2.1', 9)"]
    network_guard.clear()


@pytest.mark.allow_hosts(["127.0.0.1", "::1"])
def test_analytics_reports_and_widgets_make_no_network_call(network_guard, tmp_path):
    import datetime as dt

    sessions, pain = bx.load_sample()
    daily = bx.daily_adherence(sessions)
    bx.weekly_adherence(daily)
    bx.summarize(sessions, pain)
    bx.lagged_association(daily, pain)
    bx.export_report(sessions, pain, tmp_path / "r.pdf")
    bx.export_charts(sessions, pain, tmp_path / "charts", formats=("png", "svg"))
    bx.export_tables(sessions, pain, tmp_path / "tables")
    dash = bx.Dashboard(sessions, pain, export_dir=tmp_path / "exports")
    for i in range(5):
        dash.tabs.selected_index = i
    dash.last4.click()
    dash.export_button.click()
    form = bx.LogForm(tmp_path / "s.csv", tmp_path / "p.csv", today=dt.date(2026, 3, 2))
    form.save.click()
    assert "Saved" in form.result.value
    assert network_guard == []


def _notes_frames():
    sessions, pain = bx.load_sample()
    sessions = sessions.copy()
    pain = pain.copy()
    sessions.loc[sessions.index[:3], "notes"] = f"{MARK} =cmd|' /C calc'!A0"
    pain.loc[pain.index[:3], "notes"] = MARK
    return sessions, pain


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def test_exports_leave_notes_out_unless_asked(tmp_path):
    sessions, pain = _notes_frames()
    plain = bx.export_report(sessions, pain, tmp_path / "plain.pdf", patient_label="Ann")
    assert MARK not in _pdf_text(plain) and MARK.encode() not in plain.read_bytes()
    for chart in bx.export_charts(sessions, pain, tmp_path / "c", formats=("svg", "pdf")):
        assert MARK.encode() not in chart.read_bytes()
    for table in bx.export_tables(sessions, pain, tmp_path / "t"):
        assert MARK not in table.read_text(encoding="utf-8-sig")
    asked = bx.export_report(sessions, pain, tmp_path / "asked.pdf", include_notes=True)
    assert MARK in _pdf_text(asked)


def test_the_patient_appears_under_the_chosen_label(tmp_path):
    sessions, pain = bx.load_sample()
    pdf = bx.export_report(sessions, pain, tmp_path / "r.pdf", patient_label="Ann B.")
    text = _pdf_text(pdf)
    assert "Ann B." in text
    paths = bx.export_tables(sessions, pain, tmp_path / "t", patient_labels={"patient": "Ann B."})
    summary = pd.read_csv(paths[0], encoding="utf-8-sig")
    assert summary["patient_id"].tolist() == ["Ann B."]


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
                                  "=HYPERLINK(\"http://x\")"])
def test_formula_cells_are_neutralised(tmp_path, cell):
    assert neutralize_formula(cell) == "'" + cell
    path = write_spreadsheet_csv(pd.DataFrame({"patient_id": [cell], "pain": [-2.5]}),
                                 tmp_path / "x.csv")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[1][0] == "'" + cell
    assert rows[1][1] == "-2.5"  # numbers stay numbers


def test_exported_summary_csv_is_safe_with_a_hostile_label(tmp_path):
    sessions, pain = bx.load_sample()
    paths = bx.export_tables(sessions, pain, tmp_path, patient_labels={"patient": "=cmd|'/C calc'!A0"})
    for p in paths:
        for row in csv.reader(p.open(encoding="utf-8-sig", newline="")):
            assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in row), row


def test_no_code_is_run_from_data():
    """No loader unpickles or evaluates: the package source has no pickle, eval or exec,
    and YAML is read with safe_load."""
    pattern = re.compile(r"\b(pickle|read_pickle|eval|exec|marshal|shelve)\s*[\.(]|yaml\.load\(")
    for path in (ROOT / "backrx_analysis").glob("*.py"):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            assert not pattern.search(code), f"{path.name}:{n}: {line.strip()}"


def test_servers_bind_loopback_with_a_token():
    make = (ROOT / "Makefile").read_text().replace("\\\n", " ")  # join continued lines
    server_lines = [ln for ln in make.splitlines()
                    if re.search(r"-m (jupyter lab|voila)\b", ln)]
    assert len(server_lines) == 2, server_lines  # make lab, make app
    for ln in server_lines:
        assert "127.0.0.1" in ln, ln
        assert not re.search(r"token=(''|\"\")|token=\s|disable_check_xsrf|password=''", ln), ln
