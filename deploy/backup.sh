#!/bin/sh
# Back up a Projektfabrik deployment: the PostgreSQL database, the uploads and the
# towns' folder, into a new folder of DIR with a checksum file. Restore with
# deploy/restore.sh. Run it as the projektfabrik user, e.g. from a daily timer:
#
#   set -a; . /etc/projektfabrik/env; set +a
#   /srv/projektfabrik/deploy/backup.sh /var/backups/projektfabrik
#
# Reads PROJEKTFABRIK_DATABASE_URL (postgresql://...), PROJEKTFABRIK_UPLOADS_DIR and
# PROJEKTFABRIK_TENANTS_DIR. With PROJEKTFABRIK_STORAGE=s3 the files are in the bucket,
# not in UPLOADS_DIR: this script then notes the bucket in uploads-in-s3.txt and the
# bucket is backed up by its own means (versioning and a copy to a second bucket or
# place: docs/operations.md, "Files"). pg_dump takes a consistent snapshot while the site runs;
# a file uploaded during the backup may be in uploads without its row (harmless) or
# the other way round (its download answers 404). For point-in-time recovery use
# WAL archiving as well (deploy/README.md, "Backup and restore").
set -eu

target=${1:?usage: backup.sh DIR}
url=${PROJEKTFABRIK_DATABASE_URL:?PROJEKTFABRIK_DATABASE_URL is not set}
storage=${PROJEKTFABRIK_STORAGE:-local}
if [ "$storage" = local ]; then
  uploads=${PROJEKTFABRIK_UPLOADS_DIR:?PROJEKTFABRIK_UPLOADS_DIR is not set}
fi
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
if [ "$storage" = local ]; then
  mkdir -p "$uploads"
  tar -C "$uploads" -czf "$dest/uploads.tar.gz" .
  files=uploads.tar.gz
else
  printf 'files in S3: bucket %s, prefix "%s", endpoint %s\nback them up with the bucket (docs/operations.md, "Files")\n' \
    "${PROJEKTFABRIK_S3_BUCKET:-?}" "${PROJEKTFABRIK_S3_PREFIX:-}" "${PROJEKTFABRIK_S3_ENDPOINT_URL:-AWS}" \
    > "$dest/uploads-in-s3.txt"
  files=uploads-in-s3.txt
fi
tar -C "$tenants" -czf "$dest/tenants.tar.gz" .
(cd "$dest" && sha256sum database.dump "$files" tenants.tar.gz > SHA256SUMS)

echo "$dest"
