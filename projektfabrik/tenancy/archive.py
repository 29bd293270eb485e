"""A whole town in one file: export it, check it, import it (here or elsewhere).

The archive is a ZIP file (format described in ``docs/operations.md``):

- ``manifest.json``: format and version, when and from where, the schema
  revisions of the core and every plugin, per table the number of rows and
  the lowest and highest id, and a SHA-256 of every other entry;
- ``town.json``: the town's own row and its host names;
- ``tables/<table>.jsonl``: one JSON object per row, for every table that has a
  ``tenant_id`` (:mod:`projektfabrik.tenancy.tables`), core and plugins alike;
- ``files/uploads/<area>/<name>``: the town's files from the storage, whichever
  backend keeps them (team files, funding documents, pictures, logos, plugin
  files; :mod:`projektfabrik.storage`);
- ``files/config/...``: the operator's folder of the town (``tenant.toml``,
  logo, texts).

Both directions stream: rows are read and written in batches and files in
chunks, so a town of any size needs little memory. What does grow with the
town on import is one map from old to new id per table (a few dozen bytes per
row). Import writes nothing until every entry's checksum and the schema have
been checked, and writes the rows in one transaction that the caller commits.
"""

from __future__ import annotations

import base64
import contextlib
import enum
import hashlib
import io
import json
import shutil
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import IO, Any

from sqlalchemy import ColumnElement, MetaData, TypeDecorator, insert, inspect, select, text, update
from sqlalchemy.engine import Connection

from projektfabrik.storage import BadKey, Storage, StorageUnavailable, check_key, town_prefix
from projektfabrik.tenancy import config_edit
from projektfabrik.tenancy.models import Tenant
from projektfabrik.tenancy.tables import HOSTS, TOWN_ROW, TownTable, town_tables

FORMAT = "projektfabrik-town"
FORMAT_VERSION = 1
BATCH = 500
CHUNK = 1 << 16


class ArchiveError(ValueError):
    """The archive cannot be imported here; the message says why. Nothing was written."""


@dataclass
class TableEntry:
    rows: int = 0
    min_id: int | None = None
    max_id: int | None = None


@dataclass
class Manifest:
    slug: str
    name: str
    created_at: str
    schema: list[str]
    tables: dict[str, TableEntry] = field(default_factory=dict)
    checksums: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "town": {"slug": self.slug, "name": self.name},
            "created_at": self.created_at,
            "schema": self.schema,
            "tables": {n: vars(e) for n, e in self.tables.items()},
            "checksums": self.checksums,
        }


# --- values ----------------------------------------------------------------------


def plain_value(value: Any) -> Any:
    """A column's value as JSON can hold it; :func:`_decoder` turns it back."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _decoder(column: ColumnElement[Any]) -> Callable[[Any], Any] | None:
    column_type = column.type
    if isinstance(column_type, TypeDecorator):  # e.g. UTCDateTime: the stored type decides
        column_type = column_type.impl_instance
    try:
        kind = column_type.python_type
    except NotImplementedError:
        return None
    if kind is datetime:
        return datetime.fromisoformat
    if kind is date:
        return date.fromisoformat
    if kind is time:
        return time.fromisoformat
    if kind is Decimal:
        return Decimal
    if kind is bytes:
        return base64.b64decode
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind
    return None


def schema_revisions(connection: Connection) -> list[str]:
    """The Alembic revisions the database stands at (one per branch: core and plugins)."""
    if not inspect(connection).has_table("alembic_version"):
        return []
    return sorted(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


# --- export ----------------------------------------------------------------------


class _Hashing(io.RawIOBase):
    """Passes writes on to a ZIP entry and hashes them."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target, self.sha = target, hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.sha.update(data)
        return self.target.write(data)


def _files_under(root: Path) -> Iterator[tuple[Path, str]]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(root).as_posix()


def export_town(
    connection: Connection,
    metadata: MetaData,
    tenant: Tenant,
    out: IO[bytes],
    *,
    files: Storage,
    config_dir: Path,
    now: datetime,
) -> Manifest:
    """Write ``tenant`` with its rows and files as an archive to ``out``."""
    manifest = Manifest(tenant.slug, tenant.name, now.isoformat(), schema_revisions(connection))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:

        def entry(name: str) -> io.BufferedWriter:
            # Buffered: a row is a few hundred bytes; the ZIP writer wants chunks.
            return io.BufferedWriter(_Hashing(archive.open(name, "w", force_zip64=True)), CHUNK)

        def close(name: str, sink: io.BufferedWriter) -> None:
            sink.flush()
            raw: _Hashing = sink.raw  # type: ignore[assignment]
            raw.target.close()
            manifest.checksums[name] = raw.sha.hexdigest()

        town = {c.name: plain_value(getattr(tenant, c.key)) for c in metadata.tables[TOWN_ROW].c}
        del town["id"]
        town["hosts"] = [{"host": h.host, "is_canonical": h.is_canonical} for h in tenant.hosts]
        sink = entry("town.json")
        sink.write(json.dumps(town, ensure_ascii=False, indent=1).encode())
        close("town.json", sink)

        for spec in town_tables(metadata, archived=True):
            name = f"tables/{spec.name}.jsonl"
            sink, counts = entry(name), TableEntry()
            table = spec.table
            query = select(table).where(table.c.tenant_id == tenant.id)
            if spec.id_column:
                query = query.order_by(table.c[spec.id_column])
            # On the statement, not the connection: Connection.execution_options() changes
            # the connection itself, and the caller's next statement would stream too.
            result = connection.execute(
                query.execution_options(stream_results=True, yield_per=BATCH)
            )
            for row in result.mappings():
                data = {k: plain_value(v) for k, v in row.items() if k != "tenant_id"}
                sink.write(json.dumps(data, ensure_ascii=False).encode() + b"\n")
                counts.rows += 1
                if spec.id_column:
                    ident = data[spec.id_column]
                    counts.min_id = ident if counts.min_id is None else min(counts.min_id, ident)
                    counts.max_id = ident if counts.max_id is None else max(counts.max_id, ident)
            close(name, sink)
            manifest.tables[spec.name] = counts

        prefix = town_prefix(tenant.id)
        for key, _size in files.list(prefix):
            name = "files/uploads/" + key[len(prefix) + 1 :]
            stored = files.get(key)
            if stored is None:  # deleted while the export ran
                continue
            sink = entry(name)
            with stored.open() as source:
                shutil.copyfileobj(source, sink, CHUNK)
            close(name, sink)
        for path, relative in _files_under(config_dir):
            name = "files/config/" + relative
            sink = entry(name)
            with path.open("rb") as source:
                shutil.copyfileobj(source, sink, CHUNK)
            close(name, sink)

        archive.writestr("manifest.json", json.dumps(manifest.as_json(), indent=1))
    return manifest


# --- checking ----------------------------------------------------------------------


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except KeyError as exc:
        raise ArchiveError("the archive has no manifest.json: not a town archive") from exc
    except (ValueError, zipfile.BadZipFile) as exc:
        raise ArchiveError(f"the manifest cannot be read: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError("not a Projektfabrik town archive")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(
            f"archive format version {manifest.get('format_version')!r}; "
            f"this deployment reads version {FORMAT_VERSION}"
        )
    return manifest


def verify(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Every entry is listed and its checksum fits; no entry escapes its folder."""
    listed: dict[str, str] = manifest.get("checksums") or {}
    present = {i.filename for i in archive.infolist() if not i.is_dir()} - {"manifest.json"}
    if present != set(listed):
        missing, extra = sorted(set(listed) - present), sorted(present - set(listed))
        raise ArchiveError(f"the archive is damaged: missing {missing}, not listed {extra}")
    for name, expected in listed.items():
        parts = PurePosixPath(name).parts
        if name.startswith("/") or ".." in parts or "\\" in name:
            raise ArchiveError(f"the archive is damaged: unsafe entry name {name!r}")
        sha = hashlib.sha256()
        try:
            with archive.open(name) as entry:
                for chunk in iter(lambda e=entry: e.read(CHUNK), b""):  # type: ignore[misc]
                    sha.update(chunk)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ArchiveError(f"the archive is damaged: {name}: {exc}") from exc
        if sha.hexdigest() != expected:
            raise ArchiveError(f"the archive is damaged: {name} does not match its checksum")


def check_fit(connection: Connection, metadata: MetaData, manifest: dict[str, Any]) -> None:
    """The archive's schema must be this deployment's (the plugins here may be more)."""
    here = set(schema_revisions(connection))
    there = set(manifest.get("schema") or [])
    if not there <= here:
        raise ArchiveError(
            "the schema revisions do not fit: the archive was made at "
            f"{sorted(there - here)}, which this deployment is not at ({sorted(here)}); "
            "bring both to the same release and run 'projektfabrik db upgrade' first"
        )
    known = {spec.name for spec in town_tables(metadata, archived=True)}
    unknown = sorted(set(manifest.get("tables") or {}) - known)
    if unknown:
        raise ArchiveError(f"the archive holds tables this deployment does not have: {unknown}")


# --- import ----------------------------------------------------------------------


@dataclass
class _IdMaps:
    tenant_id: int
    maps: dict[str, dict[int, int]] = field(default_factory=dict)

    def new(self, table: str, old: Any) -> Any:
        if old is None:
            return None
        if table == "tenant":
            return self.tenant_id
        try:
            return self.maps[table][old]
        except KeyError as exc:
            raise ArchiveError(
                f"the archive is damaged: a row refers to {table} {old}, which it does not hold"
            ) from exc


def _rows(archive: zipfile.ZipFile, name: str) -> Iterator[dict[str, Any]]:
    with archive.open(name) as entry:
        for line in io.TextIOWrapper(entry, encoding="utf-8"):
            if line.strip():
                yield json.loads(line)


def _import_table(
    connection: Connection, archive: zipfile.ZipFile, spec: TownTable, ids: _IdMaps
) -> int:
    table = spec.table
    decoders = {c.name: d for c in table.c if (d := _decoder(c)) is not None}
    own = {r.column for r in spec.self_references}
    id_map: dict[int, int] = ids.maps.setdefault(spec.name, {})
    later: list[tuple[int, str, int]] = []  # (old id, column, old target) for self references
    count = 0

    def flush(batch: list[dict[str, Any]], old_ids: list[int]) -> None:
        if not batch:
            return
        if spec.id_column:
            statement = insert(table).returning(
                table.c[spec.id_column], sort_by_parameter_order=True
            )
            new_ids = connection.execute(statement, batch).scalars().all()
            id_map.update(zip(old_ids, new_ids, strict=True))
        else:
            connection.execute(insert(table), batch)

    batch: list[dict[str, Any]] = []
    old_ids: list[int] = []
    for row in _rows(archive, f"tables/{spec.name}.jsonl"):
        unknown = set(row) - set(table.c.keys())
        if unknown:
            raise ArchiveError(f"{spec.name}: columns this deployment does not have: {unknown}")
        values = {
            k: (decoders[k](v) if v is not None and k in decoders else v) for k, v in row.items()
        }
        values["tenant_id"] = ids.tenant_id
        for reference in spec.references:
            if reference.column == "tenant_id":
                continue
            if reference.target == TOWN_ROW:
                # Another town of the old deployment (tables.names_another_town).
                values[reference.column] = None
                continue
            if reference.column in own:
                # Linked once every row of the table is in (a row may point at a later one).
                target = values.get(reference.column)
                if target is not None and spec.id_column is not None:
                    later.append((values[spec.id_column], reference.column, target))
                values[reference.column] = None
            else:
                values[reference.column] = ids.new(reference.target, values.get(reference.column))
        if spec.id_column:
            old_ids.append(values.pop(spec.id_column))
        batch.append(values)
        count += 1
        if len(batch) >= BATCH:
            flush(batch, old_ids)
            batch, old_ids = [], []
    flush(batch, old_ids)
    for old, column, target in later:
        connection.execute(
            update(table)
            .where(table.c[spec.id_column] == id_map[old])  # type: ignore[index]
            .values({column: ids.new(spec.name, target)})
        )
    return count


def import_town(
    connection: Connection,
    metadata: MetaData,
    source: IO[bytes],
    *,
    slug: str | None,
    hosts: list[str] | None,
    files: Storage,
    tenants_dir: Path,
    host_taken: Callable[[str], bool],
    slug_taken: Callable[[str], bool],
) -> tuple[int, dict[str, int]]:
    """Import the archive in ``source``; returns the new town's id and rows per table.

    Raises :class:`ArchiveError` before writing anything when the archive is
    damaged, its schema does not fit, or the slug or a host is taken.
    Files are written last; the caller commits (and removes the files'
    folders again if the commit fails).
    """
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(f"not a ZIP archive: {exc}") from exc
    with archive:
        manifest = read_manifest(archive)
        verify(archive, manifest)
        check_fit(connection, metadata, manifest)
        town = json.loads(archive.read("town.json"))
        new_slug = slug or town["slug"]
        host_rows = (
            [{"host": h, "is_canonical": i == 0} for i, h in enumerate(hosts)]
            if hosts
            else town.pop("hosts")
        )
        town.pop("hosts", None)
        if slug_taken(new_slug):
            raise ArchiveError(f"a municipality with the slug {new_slug!r} exists already")
        config_target = tenants_dir / new_slug
        if config_target.exists() and any(config_target.iterdir()):
            raise ArchiveError(f"the folder {config_target} exists already and is not empty")
        for row in host_rows:
            if host_taken(str(row["host"])):
                raise ArchiveError(f"the host {row['host']!r} serves another municipality already")
        uploads = _upload_entries(archive)

        tenant_table = metadata.tables[TOWN_ROW]
        decoders = {c.name: d for c in tenant_table.c if (d := _decoder(c)) is not None}
        values = {
            k: (decoders[k](v) if v is not None and k in decoders else v)
            for k, v in town.items()
            if k in tenant_table.c
        }
        values["slug"] = new_slug
        # Pages cached for an earlier town with the same id must never be served for this one.
        # (What workers keep for its projects is keyed on the shared version.)
        values["content_version"] = int(values.get("content_version") or 0) + 1
        values["shared_version"] = int(values.get("shared_version") or 0) + 1
        tenant_id = connection.execute(
            insert(tenant_table).returning(tenant_table.c.id), values
        ).scalar_one()
        connection.execute(
            insert(metadata.tables[HOSTS]),
            [{**row, "tenant_id": tenant_id} for row in host_rows],
        )
        ids = _IdMaps(tenant_id)
        counts = {}
        for spec in town_tables(metadata, archived=True):
            if f"tables/{spec.name}.jsonl" in manifest["checksums"]:
                counts[spec.name] = _import_table(connection, archive, spec, ids)

        try:
            for name, relative in uploads:
                with archive.open(name) as source:
                    files.put(f"{town_prefix(tenant_id)}/{relative}", source)
        except StorageUnavailable as exc:
            # The caller rolls the rows back; the files written so far go now, if they can.
            with contextlib.suppress(StorageUnavailable):
                files.delete_prefix(town_prefix(tenant_id))
            raise ArchiveError(f"the storage failed, nothing was imported: {exc}") from exc
        _extract(archive, "files/config/", config_target)
        if hosts:
            toml = config_target / "tenant.toml"
            if toml.is_file():
                config_edit.set_hosts(toml, hosts)
    return tenant_id, counts


def _upload_entries(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """``(entry, key below the town)`` of every file for the storage, each checked
    before anything is written."""
    entries = []
    for name in archive.namelist():
        if name.startswith("files/uploads/") and not name.endswith("/"):
            relative = name[len("files/uploads/") :]
            try:
                check_key(relative)
            except BadKey as exc:
                raise ArchiveError(f"the entry {name!r} is not a file name we store") from exc
            entries.append((name, relative))
    return entries


def _extract(archive: zipfile.ZipFile, prefix: str, target: Path) -> None:
    for name in archive.namelist():
        if not name.startswith(prefix) or name.endswith("/"):
            continue
        path = target / PurePosixPath(name[len(prefix) :])
        path.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(name) as entry, path.open("wb") as out:
            shutil.copyfileobj(entry, out, CHUNK)
