#!/usr/bin/env bash
# 备份：DATABASE_URL 所指的 PostgreSQL 数据库（pg_dump -Fc）加 MEDIA_ROOT（佐证材料等上传文件，tar.gz），
# 写入 BACKUP_DIR 下一个带日期时间的新文件夹，并附 SHA256SUMS。
#
#   DATABASE_URL=postgres://user:pw@host:5432/jinhu MEDIA_ROOT=/srv/jinhu/var/media \
#   BACKUP_DIR=/srv/jinhu/var/backups deploy/backup.sh
#
# Defaults as in the portal's settings: MEDIA_ROOT=var/media, BACKUP_DIR=var/backups (relative to the
# project folder).  BACKUP_KEEP_DAYS=N (default 0 = keep all) deletes dated folders older than N days
# after a successful backup.  The folder is written as <stamp>.partial and renamed when complete, so a
# folder without the suffix is always a whole backup.  Prints the folder's path on stdout.
# Restore with deploy/restore.sh.  TLS or other libpq options: PGSSLMODE etc. in the environment.
set -euo pipefail
umask 077
cd "$(dirname "$0")/.."

die() { echo "备份失败：$*" >&2; exit 1; }

[ -n "${DATABASE_URL:-}" ] || die "未设置 DATABASE_URL。"
command -v pg_dump >/dev/null || die "找不到 pg_dump（请安装 postgresql-client）。"

# django-environ's schemes -> libpq's; its query options (conn_max_age=...) mean nothing to libpq.
url="${DATABASE_URL%%\?*}"
case "$url" in
  postgres://*|postgresql://*|pgsql://*|postgis://*) url="postgresql://${url#*://}" ;;
  *) die "DATABASE_URL 不是 PostgreSQL 数据库（备份脚本只支持 PostgreSQL）。" ;;
esac

media="${MEDIA_ROOT:-var/media}"
backups="${BACKUP_DIR:-var/backups}"
[ -d "$media" ] || die "媒体目录不存在：$media"
mkdir -p "$backups"

stamp="$(date +%Y%m%d-%H%M%S)"
dest="$backups/$stamp"
[ ! -e "$dest" ] && [ ! -e "$dest.partial" ] || die "备份文件夹已存在：$dest"
work="$dest.partial"
mkdir "$work"
trap 'rm -rf "$work"' EXIT

pg_dump --format=custom --no-owner --file="$work/database.dump" "$url" || die "pg_dump 出错。"
tar -C "$media" -czf "$work/media.tar.gz" . || die "打包媒体目录出错。"
( cd "$work" && sha256sum database.dump media.tar.gz > SHA256SUMS )
mv "$work" "$dest"
trap - EXIT

keep="${BACKUP_KEEP_DAYS:-0}"
if [ "$keep" -gt 0 ]; then
  find "$backups" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*-[0-9]*' ! -name '*.partial' \
       -mtime +"$keep" -exec rm -rf {} +
fi
echo "$dest"
