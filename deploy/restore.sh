#!/bin/sh
# Restore a backup made by deploy/backup.sh into an EMPTY database and EMPTY
# folders (it refuses otherwise, so it never mixes two deployments):
#
#   createdb -O projektfabrik projektfabrik      # as the postgres user
#   set -a; . /etc/projektfabrik/env; set +a
#   /srv/projektfabrik/deploy/restore.sh /var/backups/projektfabrik/20261202T030000Z
#   /srv/projektfabrik/.venv/bin/projektfabrik db upgrade   # when the code is newer
#
# Same variables as backup.sh. A backup of a deployment with its files in S3
# (uploads-in-s3.txt) restores the database and the towns' folder; the bucket is
# restored by its own means, to the state of the backup or later. The SECRET_KEY must be the backed-up deployment's:
# sign-in sessions, links in mails and encrypted settings depend on it.
set -eu

source=${1:?usage: restore.sh BACKUP_DIR}
url=${PROJEKTFABRIK_DATABASE_URL:?PROJEKTFABRIK_DATABASE_URL is not set}
if [ -f "$source/uploads.tar.gz" ]; then
  uploads=${PROJEKTFABRIK_UPLOADS_DIR:?PROJEKTFABRIK_UPLOADS_DIR is not set}
else
  uploads=""
fi
tenants=${PROJEKTFABRIK_TENANTS_DIR:?PROJEKTFABRIK_TENANTS_DIR is not set}
url=$(printf '%s' "$url" | sed 's|^postgresql+[a-z0-9]*://|postgresql://|')

(cd "$source" && sha256sum --check --quiet SHA256SUMS) || {
  echo "restore.sh: the backup is damaged (checksums do not match); nothing restored" >&2
  exit 1
}
tables=$(psql --no-psqlrc --tuples-only --no-align --dbname="$url" \
  --command="SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "restore.sh: the database is not empty ($tables tables); nothing restored" >&2
  exit 1
fi
for folder in "$tenants" ${uploads:+"$uploads"}; do
  if [ -d "$folder" ] && [ -n "$(ls -A "$folder")" ]; then
    echo "restore.sh: $folder is not empty; nothing restored" >&2
    exit 1
  fi
done

pg_restore --no-owner --no-privileges --exit-on-error --dbname="$url" "$source/database.dump"
mkdir -p "$tenants"
if [ -n "$uploads" ]; then
  mkdir -p "$uploads"
  tar -C "$uploads" -xzf "$source/uploads.tar.gz"
else
  cat "$source/uploads-in-s3.txt"
fi
tar -C "$tenants" -xzf "$source/tenants.tar.gz"
echo "restored $source"
