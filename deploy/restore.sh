#!/usr/bin/env bash
# 恢复：把 deploy/backup.sh 生成的一个备份文件夹恢复到一个新的数据库和一个新的媒体目录。
#
#   DATABASE_URL=postgres://user:pw@host:5432/jinhu deploy/restore.sh <备份文件夹> <新数据库名> <新媒体目录>
#
# DATABASE_URL only names the server and the account (which needs CREATEDB); the database it
# names is not touched.  Refuses when the new database exists or the new media folder is not empty:
# a restore never overwrites anything.  The database is restored in one transaction; if anything
# fails the new database is dropped again.  On success it prints the DATABASE_URL and MEDIA_ROOT to
# put in the env file (or to check the restore with before switching).
set -euo pipefail

die() { echo "恢复失败：$*" >&2; exit 1; }

[ $# -eq 3 ] || { echo "用法：$0 <备份文件夹> <新数据库名> <新媒体目录>" >&2; exit 2; }
src="$1"; name="$2"; media="$3"

[ -n "${DATABASE_URL:-}" ] || die "未设置 DATABASE_URL（用于连接数据库服务器）。"
command -v pg_restore >/dev/null && command -v psql >/dev/null || die "找不到 pg_restore / psql（请安装 postgresql-client）。"
[ -f "$src/database.dump" ] && [ -f "$src/media.tar.gz" ] || die "$src 不是完整的备份文件夹。"
[[ "$name" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "数据库名只能由小写字母、数字和下划线组成：$name"
if [ -e "$media" ] && [ -n "$(ls -A "$media")" ]; then die "媒体目录不为空：$media"; fi

if [ -f "$src/SHA256SUMS" ]; then
  ( cd "$src" && sha256sum --check --quiet SHA256SUMS ) || die "备份文件校验失败（SHA256SUMS）。"
fi

url="${DATABASE_URL%%\?*}"
case "$url" in
  postgres://*|postgresql://*|pgsql://*|postgis://*) url="postgresql://${url#*://}" ;;
  *) die "DATABASE_URL 不是 PostgreSQL 数据库。" ;;
esac
server="${url%/*}"
maintenance="$server/${RESTORE_MAINTENANCE_DB:-postgres}"
target="$server/$name"

exists="$(psql "$maintenance" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")" \
  || die "无法连接数据库服务器。"
[ -z "$exists" ] || die "数据库已存在：$name（恢复只写入新数据库）"

psql "$maintenance" -qc "CREATE DATABASE \"$name\"" || die "无法创建数据库 $name。"
created_media=0
cleanup() {
  psql "$maintenance" -qc "DROP DATABASE IF EXISTS \"$name\"" >/dev/null 2>&1 || true
  [ "$created_media" = 1 ] && rm -rf "$media"
}
trap cleanup EXIT

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$target" \
    "$src/database.dump" || die "pg_restore 出错，已删除新数据库 $name。"
[ -e "$media" ] || created_media=1
mkdir -p "$media"
tar -C "$media" -xzf "$src/media.tar.gz" || die "解压媒体文件出错。"
trap - EXIT

echo "DATABASE_URL=$target"
echo "MEDIA_ROOT=$(cd "$media" && pwd)"
