#!/bin/sh
# Back up a Projektfabrik deployment: the PostgreSQL database, the uploads and the
# towns' folder, into a new folder of DIR with a checksum file. Restore with
# deploy/restore.sh. Run it as the projektfabrik user, e.g. from a daily timer:
#
#   set -a; . /etc/projektfabrik/env; set +a
#   /srv/projektfabrik/deploy/backup.sh /var/backups/projektfabrik
#
# Reads PROJEKTFABRIK_DATABASE_URL (postgresql://...), PROJEKTFABRIK_UPLOADS_DIR and
# PROJEKTFABRIK_TENANTS_DIR. pg_dump takes a consistent snapshot while the site runs;
# a file uploaded during the backup may be in uploads without its row (harmless) or
# the other way round (its download answers 404). For point-in-time recovery use
# WAL archiving as well (deploy/README.md, "Backup and restore").
set -eu

target=${1:?usage: backup.sh DIR}
url=${PROJEKTFABRIK_DATABASE_URL:?PROJEKTFABRIK_DATABASE_URL is not set}
uploads=${PROJEKTFABRIK_UPLOADS_DIR:?PROJEKTFABRIK_UPLOADS_DIR is not set}
tenants=${PROJEKTFABRIK_TENANTS_DIR:?PROJEKTFABRIK_TENANTS_DIR is not set}

case "$url" in
  postgresql*|postgres:*) ;;
  *) echo "backup.sh: only PostgreSQL databases (got ${url%%:*})" >&2; exit 2 ;;
esac
# SQLAlchemy's driver suffix (postgresql+psycopg://) means nothing to pg_dump.
url=$(printf '%s' "$url" | sed 's|^postgresql+[a-z0-9]*://|postgresql://|')

stamp=$(date -u +%Y%m%dT%H%M%SZ)
dest="$target/$stamp"
mkdir -p "$dest"
umask 077

pg_dump --format=custom --no-owner --no-privileges --file="$dest/database.dump" "$url"
mkdir -p "$uploads"
tar -C "$uploads" -czf "$dest/uploads.tar.gz" .
tar -C "$tenants" -czf "$dest/tenants.tar.gz" .
(cd "$dest" && sha256sum database.dump uploads.tar.gz tenants.tar.gz > SHA256SUMS)

echo "$dest"
