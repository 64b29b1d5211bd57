"""Downloads for the data update: timeout, retries, explicit User-Agent, progress, checksum.

Only the standard library is used (urllib), so that the update needs nothing beyond the
app's own dependencies. Redirects are followed; every failure becomes a French message.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import socket
import sys
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from typing import TextIO

USER_AGENT = "cartographie-cooperations/0.1 (mise a jour des donnees de reference; +https://www.oriv.org)"


class DownloadError(Exception):
    """A download failed or returned something unusable; the message is in French."""


@dataclass(frozen=True)
class Download:
    """What was fetched: the bytes and what the manifest records about them."""

    nom: str
    adresse: str
    adresse_finale: str
    contenu: bytes
    sha256: str
    date: str

    def text(self) -> str:
        """The content decoded as UTF-8 (a byte-order mark is dropped)."""
        try:
            return self.contenu.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DownloadError(f"{self.nom} : contenu non UTF-8 ({self.adresse}).") from exc

    def member(self, suffix: str) -> bytes:
        """The content itself, or the first member ending in ``suffix`` when it is a ZIP archive."""
        if not zipfile.is_zipfile(io.BytesIO(self.contenu)):
            return self.contenu
        with zipfile.ZipFile(io.BytesIO(self.contenu)) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(suffix.lower())]
            if not names:
                raise DownloadError(f"{self.nom} : l'archive ZIP ne contient aucun fichier « {suffix} ».")
            return archive.read(sorted(names, key=len)[0])


def _progress(stream: TextIO | None, nom: str, done: int, total: int | None) -> None:
    if stream is None:
        return
    if total:
        filled = int(30 * done / total)
        stream.write(f"\r  {nom:<28} [{'#' * filled}{'.' * (30 - filled)}] {done / 1e6:6.1f} / {total / 1e6:.1f} Mo")
    else:
        stream.write(f"\r  {nom:<28} {done / 1e6:6.1f} Mo")
    stream.flush()


def fetch(
    nom: str,
    adresse: str,
    *,
    timeout: float = 60.0,
    retries: int = 3,
    backoff: float = 1.0,
    progress: TextIO | None = sys.stderr,
    max_bytes: int = 2_000_000_000,
) -> Download:
    """Download ``adresse`` fully, retrying transient failures.

    Parameters
    ----------
    nom
        Short name used in messages and in the manifest.
    adresse
        HTTP(S) address; redirects are followed.
    timeout
        Seconds without an answer before an attempt is abandoned.
    retries
        Attempts in all; a 4xx answer (other than 408/429) is not retried.
    backoff
        Seconds to wait before the second attempt, doubled each time.
    progress
        Stream for the progress bar (``None`` for none).

    Raises
    ------
    DownloadError
        Every attempt failed, the answer was truncated, or it is larger than ``max_bytes``.
    """
    last_error = ""
    for attempt in range(1, retries + 1):
        request = urllib.request.Request(adresse, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                content = _read_all(response, nom, max_bytes, progress)
                if not content:
                    raise DownloadError(f"{nom} : la réponse est vide ({adresse}).")
                return Download(
                    nom=nom,
                    adresse=adresse,
                    adresse_finale=response.geturl(),
                    contenu=content,
                    sha256=hashlib.sha256(content).hexdigest(),
                    date=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                )
        except urllib.error.HTTPError as exc:
            last_error = f"le serveur a répondu {exc.code} {exc.reason}"
            if 400 <= exc.code < 500 and exc.code not in (408, 429):
                break
        except (DownloadError, http.client.HTTPException, urllib.error.URLError, OSError) as exc:
            last_error = _reason(exc)
        if attempt < retries:
            time.sleep(backoff * 2 ** (attempt - 1))
    raise DownloadError(f"{nom} : échec du téléchargement de {adresse} ({last_error}).")


def _read_all(response, nom: str, max_bytes: int, progress: TextIO | None) -> bytes:
    """The whole body, with a progress bar; refused when larger than ``max_bytes`` or shorter than announced."""
    total = response.headers.get("Content-Length")
    total = int(total) if total and total.isdigit() else None
    chunks, done = [], 0
    while chunk := response.read(1 << 16):
        chunks.append(chunk)
        done += len(chunk)
        if done > max_bytes:
            raise DownloadError(f"{nom} : fichier trop volumineux (plus de {max_bytes // 1_000_000} Mo).")
        _progress(progress, nom, done, total)
    if progress is not None:
        progress.write("\n")
    if total is not None and done != total:
        raise DownloadError(f"{nom} : téléchargement tronqué ({done} octets reçus sur {total}).")
    return b"".join(chunks)


def _reason(exc: Exception) -> str:
    """Why an attempt failed, in French words."""
    if isinstance(exc, DownloadError):
        return str(exc).split(" : ", 1)[-1]
    if isinstance(exc, http.client.IncompleteRead):
        return f"téléchargement tronqué ({len(exc.partial)} octets reçus)"
    if isinstance(exc, http.client.HTTPException):
        return f"réponse HTTP invalide ({type(exc).__name__})"
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return "délai dépassé"
    if isinstance(reason, socket.gaierror):
        return "serveur introuvable : pas d'accès à Internet ?"
    if isinstance(reason, ConnectionRefusedError):
        return "connexion refusée"
    return str(reason)
