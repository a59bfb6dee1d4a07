"""Start and stop the Jupyter servers the browser tests drive.

Every server runs on 127.0.0.1, on a free port, with a random token, from a
temporary root directory, with temporary Jupyter config/data/runtime/settings
directories so that nothing on the machine (a user's ~/.jupyter, a stray
kernelspec, JupyterLab news settings) changes what the tests see.

``ServerProcess.stop`` terminates the process it started, waits for it, and kills
it when it does not exit in time; the fixtures in ``conftest.py`` call it from
finalizers.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"

# The Voila configuration `make app` uses (keep in step with the Makefile's `app`
# target; test_voila.py::test_make_app_uses_the_tested_configuration checks it).
# Why each flag is there: docs/app.md.
VOILA_CSP = "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; frame-ancestors 'self'"
VOILA_APP_ARGS: tuple[str, ...] = (
    # the page's CDN stylesheets (Font Awesome) are not fetched at all; the fonts
    # come from Voila's own bundle on 127.0.0.1. The XSRF check stays on (Voila 0.5's
    # kernel-shutdown beacon lacks _xsrf and is refused: culling below frees the kernel)
    f'--Voila.tornado_settings={{"headers": {{"Content-Security-Policy": "{VOILA_CSP}"}}}}',
    # the kernel client whose channels re-check their socket every 50 ms: a lost
    # ZeroMQ wake-up costs milliseconds instead of a page stuck on "Executing N of M"
    "--AsyncKernelManager.client_class=backrx_analysis.app.kernel_client.PromptKernelClient",
    # a cell that really runs this long is reported as timed out (a limit, not the fix)
    "--VoilaExecutor.timeout=120",
    # two kernels kept ready, the notebook already run in them up to the page's
    # request (imports, files read, charts drawn); a used one is replaced at once
    "--VoilaConfiguration.preheat_kernel=True",
    "--VoilaConfiguration.default_pool_size=2",
    "--VoilaKernelManager.fill_delay=0",
    # Voila 0.5 cannot shut a kernel down when its page closes (the request lacks
    # _xsrf): the server does it once the kernel has had no page and nothing to do
    # for 10 minutes (an open page keeps its kernel)
    "--MappingKernelManager.cull_idle_timeout=600",
    "--MappingKernelManager.cull_interval=60",
)

# JupyterLab settings that would make the page call out to jupyter.org.
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    }
}

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def jupyter_env(home: Path) -> dict[str, str]:
    """Environment for a Jupyter process isolated under ``home``.

    Kernelspecs: inside a venv, jupyter_core looks in the venv's share/jupyter
    before the (empty, temporary) data dir, so ``python3`` is the venv's
    (test_lab.py checks it).
    """
    dirs = {
        "JUPYTER_CONFIG_DIR": home / "config",
        "JUPYTER_DATA_DIR": home / "data",
        "JUPYTER_RUNTIME_DIR": home / "runtime",
        "JUPYTERLAB_SETTINGS_DIR": home / "lab-user-settings",
        "JUPYTERLAB_WORKSPACES_DIR": home / "lab-workspaces",
        "IPYTHONDIR": home / "ipython",
        "MPLCONFIGDIR": home / "matplotlib",
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
    env.update({k: str(v) for k, v in dirs.items()})
    env["PYTHONUNBUFFERED"] = "1"
    # debugpy's "frozen modules" warning goes to the kernel's stderr on 3.11
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    # no proxy must ever see a request for 127.0.0.1
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


class ServerStartError(RuntimeError):
    pass


@dataclass
class ServerProcess:
    """A server process started by the tests, with its URL, token and log."""

    name: str
    proc: subprocess.Popen
    port: int
    token: str
    log_path: Path
    root_dir: Path
    env: dict = field(repr=False, default_factory=dict)
    _log_file: object = field(repr=False, default=None)

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def url(self, path: str = "/", *, with_token: bool = True) -> str:
        url = self.base_url + path
        if with_token:
            url += ("&" if "?" in url else "?") + f"token={self.token}"
        return url

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def wait_ready(self, path: str, *, timeout: float = 60.0) -> None:
        """Poll ``path`` (with the token) until it answers 200."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerStartError(
                    f"{self.name} exited with {self.proc.returncode} before it was ready; "
                    f"log {self.log_path}:\n{self.log()[-3000:]}"
                )
            try:
                with urllib.request.urlopen(self.url(path), timeout=5) as resp:
                    if resp.status == 200:
                        return
                    last = resp.status
            except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                last = exc
            time.sleep(0.25)
        raise ServerStartError(
            f"{self.name} not ready after {timeout:.0f}s ({last}); "
            f"log {self.log_path}:\n{self.log()[-3000:]}"
        )

    def stop(self, timeout: float = 20.0) -> int:
        """Terminate the process, wait for it; kill it when it does not exit in time.

        Jupyter servers shut their kernels down on SIGTERM.
        """
        try:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=timeout)
            return self.proc.returncode
        finally:
            if self._log_file is not None:
                self._log_file.close()
                self._log_file = None


def _start(
    name: str,
    cmd: Sequence[str],
    *,
    env: dict,
    cwd: Path,
    port: int,
    token: str,
    log_path: Path,
) -> ServerProcess:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_file = open(log_path, "w")  # noqa: SIM115 - closed by ServerProcess.stop
    log_file.write("$ " + " ".join(cmd) + "\n")
    log_file.flush()
    proc = subprocess.Popen(
        list(cmd),
        env=env,
        cwd=cwd,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    return ServerProcess(name, proc, port, token, log_path, cwd, env, log_file)


def start_lab(root_dir: Path, home: Path, log_path: Path) -> ServerProcess:
    """JupyterLab on 127.0.0.1 serving ``root_dir``, isolated under ``home``.

    The news/update check is off through ``<app_settings_dir>/overrides.json``
    (user settings cannot do it before the first page load asks).
    """
    env = jupyter_env(home)
    app_settings = home / "lab-app-settings"
    app_settings.mkdir(parents=True, exist_ok=True)
    (app_settings / "overrides.json").write_text(json.dumps(LAB_OVERRIDES, indent=2))
    port, token = free_port(), secrets.token_hex(24)
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        f"--ServerApp.ip={HOST}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--no-browser",
        "--allow-root",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        f"--LabApp.app_settings_dir={app_settings}",
        "--ServerApp.terminals_enabled=False",
        "--LanguageServerManager.autodetect=False",
    ]
    server = _start(
        "JupyterLab", cmd, env=env, cwd=root_dir, port=port, token=token, log_path=log_path
    )
    try:
        server.wait_ready("/api/status")
    except BaseException:
        server.stop()
        raise
    return server


def start_voila(
    notebook: Path,
    home: Path,
    log_path: Path,
    extra_args: Sequence[str] = VOILA_APP_ARGS,
    *,
    debug: bool = True,
) -> ServerProcess:
    """Voila on 127.0.0.1 serving one notebook, token auth on.

    ``debug`` logs at debug level (the tests' server logs); the benchmark starts
    the server as `make app` does, without it.
    """
    env = jupyter_env(home)
    port, token = free_port(), secrets.token_hex(24)
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={HOST}",
        "--Voila.port_retries=0",
        f"--token={token}",
        *(["--debug"] if debug else []),
        *extra_args,
    ]
    server = _start(
        "Voila", cmd, env=env, cwd=notebook.parent, port=port, token=token, log_path=log_path
    )
    try:
        server.wait_ready("/voila/static/voila.js")
    except BaseException:
        server.stop()
        raise
    return server
