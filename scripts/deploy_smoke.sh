#!/usr/bin/env bash
# The deployment guide, run: brings nginx, gunicorn and an RQ worker up on loopback from the
# guide's own files in docs/deploy/ (copied and changed by sed only where a loopback run needs
# it), against the local PostgreSQL and Redis, and smoke-tests the stack through nginx over
# HTTPS. Prints `SMOKE OK` at the end; any failure stops it with a message and a non-zero exit.
#
#   bash scripts/deploy_smoke.sh
#
# Needs: PostgreSQL (trust auth for PGUSER) and Redis on loopback, the repo's .venv (make setup),
# nginx and openssl (installed with apt-get when missing; root or sudo needed for that only).
# Everything it writes is in a temporary folder, removed on exit with every process it started.
# Settings (environment): PGHOST, PGPORT, PGUSER (127.0.0.1, 5432, postgres), SMOKE_DB
# (unionhub_smoke, dropped and created), SMOKE_REDIS_URL (redis://127.0.0.1:6379/13, flushed).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
GUIDE="$REPO/docs/deploy"
VENV_BIN="$REPO/.venv/bin"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
PGOPTIONS="--client-min-messages=warning"
export PGHOST PGPORT PGUSER PGOPTIONS
SMOKE_DB="${SMOKE_DB:-unionhub_smoke}"
SMOKE_REDIS_URL="${SMOKE_REDIS_URL:-redis://127.0.0.1:6379/13}"
OFFICER=smoke-officer
# The address curl sends from when it logs in, and the one it pretends to be in the header.
CLIENT_ADDR=127.0.0.2
SPOOFED_ADDR=203.0.113.66
STARTED=$SECONDS

fail() {
  echo "SMOKE FAILED: $*" >&2
  exit 1
}
# Whatever else stops the script under `set -e` says where.
trap 'echo "SMOKE FAILED: line $LINENO: $BASH_COMMAND" >&2' ERR
step() { echo "== [$((SECONDS - STARTED))s] $*"; }

# --- what is missing -----------------------------------------------------------------------
[ -x "$VENV_BIN/unionhub" ] || fail "no $VENV_BIN/unionhub: run 'make setup' first"
missing=()
command -v openssl >/dev/null || missing+=(openssl)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq "${missing[@]}" >/dev/null; } \
    || fail "could not install ${missing[*]}"
  # Debian's package starts its own nginx on port 80; this script runs its own.
  if command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then
    $SUDO systemctl stop nginx || true
  fi
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
for tool in psql curl; do
  command -v "$tool" >/dev/null || fail "$tool is needed (PostgreSQL client, curl)"
done
STARTED=$SECONDS

# --- the temporary folder and the cleanup that stops everything --------------------------
umask 022
TMP="$(mktemp -d -t unionhub-smoke.XXXXXX)"
# nginx's workers run as nobody when the master is root: they must reach the static files.
chmod 0755 "$TMP"
PIDS=()
# Stops nginx and every process started here: SIGTERM (gunicorn and RQ stop gracefully on
# it), 10 s each to go, then SIGKILL.
stop_all() {
  local nginx_pid=""
  if [ -f "$TMP/nginx/nginx.pid" ]; then
    nginx_pid="$(cat "$TMP/nginx/nginx.pid")"
    kill -TERM "$nginx_pid" 2>/dev/null || true
  fi
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}" $nginx_pid; do
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
  rm -f "$TMP/nginx/nginx.pid"
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM ERR
  stop_all
  if [ "$status" -ne 0 ]; then
    for log in gunicorn.log worker.log nginx/error.log; do
      if [ -s "$TMP/$log" ]; then
        echo "---- last lines of $log" >&2
        tail -n 25 "$TMP/$log" >&2
      fi
    done
  fi
  rm -rf "$TMP"
  # The database goes once the run passed; a failed run keeps it for a look (the next drops it).
  if [ "$status" -eq 0 ]; then
    psql -q -d postgres -c "DROP DATABASE IF EXISTS $SMOKE_DB WITH (FORCE)" >/dev/null || true
    "$VENV_BIN/python" -c 'import sys, redis; redis.Redis.from_url(sys.argv[1]).flushdb()' \
      "$SMOKE_REDIS_URL" || true
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'echo "SMOKE FAILED: interrupted" >&2; exit 130' INT
trap 'echo "SMOKE FAILED: terminated" >&2; exit 143' TERM

free_port() {
  "$VENV_BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
HTTP_PORT=$(free_port)
HTTPS_PORT=$(free_port)
APP_PORT=$(free_port)
while [ "$HTTPS_PORT" = "$HTTP_PORT" ]; do HTTPS_PORT=$(free_port); done
while [ "$APP_PORT" = "$HTTP_PORT" ] || [ "$APP_PORT" = "$HTTPS_PORT" ]; do APP_PORT=$(free_port); done
BASE="https://localhost:$HTTPS_PORT"
step "ports: http $HTTP_PORT, https $HTTPS_PORT, gunicorn $APP_PORT; folder $TMP"

# `grep -q` that names what it missed.
expect_in() { # file, pattern, what
  grep -q -- "$2" "$1" || fail "$3 (no '$2' in $1)"
}
expect_not_in() {
  if grep -q -- "$2" "$1"; then fail "$3 ('$2' left in $1)"; fi
}

# --- secrets: a TLS certificate for localhost, the signing key -----------------------------
mkdir -p "$TMP/tls" "$TMP/var" "$TMP/static" "$TMP/backups"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
  -subj /CN=localhost -addext subjectAltName=DNS:localhost \
  -keyout "$TMP/tls/privkey.pem" -out "$TMP/tls/fullchain.pem" 2>/dev/null \
  || fail "openssl could not make the self-signed certificate"
chmod 0600 "$TMP/tls/privkey.pem"
# As the guide's section 1 says (settings refuse to start without it in production).
openssl genpkey -algorithm ed25519 -out "$TMP/signing.pem" 2>/dev/null \
  || fail "openssl could not make the Ed25519 signing key"
chmod 0600 "$TMP/signing.pem"

# --- the environment: docs/deploy/unionhub.env with loopback values -----------------------
SECRET_KEY="$(openssl rand -hex 32)"
sed -e "s#^SECRET_KEY=.*#SECRET_KEY=$SECRET_KEY#" \
  -e "s#^ALLOWED_HOSTS=.*#ALLOWED_HOSTS=localhost#" \
  -e "s#^SITE_URL=.*#SITE_URL=$BASE#" \
  -e "s#^UNIONHUB_VAR=.*#UNIONHUB_VAR=$TMP/var#" \
  -e "s#^STATIC_ROOT=.*#STATIC_ROOT=$TMP/static#" \
  -e "s#^SIGNING_KEY_FILE=.*#SIGNING_KEY_FILE=$TMP/signing.pem#" \
  -e "s#^DATABASE_URL=.*#DATABASE_URL=postgres://$PGUSER@$PGHOST:$PGPORT/$SMOKE_DB#" \
  -e "s#^REDIS_URL=.*#REDIS_URL=$SMOKE_REDIS_URL#" \
  -e "s#^TASK_BACKEND=.*#TASK_BACKEND=rq#" \
  -e "/^S3_/d" \
  -e "s#^BACKUP_DIR=.*#BACKUP_DIR=$TMP/backups#" \
  -e "s#^EMAIL_BACKEND=.*#EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend#" \
  -e "/^EMAIL_\(HOST\|PORT\|HOST_USER\|HOST_PASSWORD\|USE_TLS\)=/d" \
  -e "s#^DEFAULT_FROM_EMAIL=.*#DEFAULT_FROM_EMAIL=UnionHub <unionhub@localhost>#" \
  "$GUIDE/unionhub.env" >"$TMP/unionhub.env"
{
  # No S3 here: media on local disk in the temporary folder (the default under UNIONHUB_VAR,
  # said outright).
  echo "MEDIA_ROOT=$TMP/var/media"
  # nginx's `proxy_set_header Host $host` drops the port, so Django sees the host "localhost"
  # while the browser's Origin/Referer say localhost:<port>; on 443 they agree, on a test port
  # the origin must be trusted explicitly or every POST fails the CSRF check.
  echo "CSRF_TRUSTED_ORIGINS=$BASE"
} >>"$TMP/unionhub.env"
chmod 0600 "$TMP/unionhub.env"
for want in "UNIONHUB_PRODUCTION=1" "TRUSTED_PROXY_COUNT=1" "TASK_BACKEND=rq" \
  "SIGNING_KEY_FILE=$TMP/signing.pem" "DATABASE_URL=postgres://"; do
  expect_in "$TMP/unionhub.env" "^$want" "the environment lacks $want"
done
expect_not_in "$TMP/unionhub.env" "example" "a placeholder of unionhub.env was not replaced"
expect_not_in "$TMP/unionhub.env" "change-me" "a placeholder secret of unionhub.env was not replaced"

# systemd's EnvironmentFile syntax is not the shell's (`A=x <y>` is one value): read it as
# systemd does, one KEY=value a line, into a clean environment as the units get.
APP_ENV=(PATH="$VENV_BIN:/usr/local/bin:/usr/bin:/bin" HOME="$TMP" LANG=C.UTF-8)
while IFS= read -r line || [ -n "$line" ]; do
  [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
  APP_ENV+=("$line")
done <"$TMP/unionhub.env"
app() {
  (cd "$REPO" && env -i "${APP_ENV[@]}" "$VENV_BIN/unionhub" "$@")
}

# ExecStart= of a unit, its continuation lines joined.
exec_start() {
  awk '/^ExecStart=/ { on = 1; sub(/^ExecStart=/, "") }
       on { line = $0; more = sub(/\\[[:space:]]*$/, "", line); printf "%s ", line; if (!more) exit }' "$1"
}

# --- nginx: the guide's site with loopback ports, the test certificate, the temp folder -----
# (checked here with nginx -t, started once gunicorn is)
mkdir -p "$TMP/nginx"
# client_max_body_size: lowered from the guide's 501m to 2m so a 3 MB body proves nginx
# refuses what is over it (REQUEST_MAX_MB of the app stays at its default, so a 413 can only
# come from nginx). The IPv6 `listen [::]:…` lines go: this run is on 127.0.0.1 only.
sed -e "s#server_name union.example.vn;#server_name localhost;#" \
  -e "s#^\([[:space:]]*listen\) 80\([; ]\)#\1 127.0.0.1:$HTTP_PORT\2#" \
  -e "s#^\([[:space:]]*listen\) 443\([; ]\)#\1 127.0.0.1:$HTTPS_PORT\2#" \
  -e "/^[[:space:]]*listen \[::\]:/d" \
  -e "s#^\([[:space:]]*ssl_certificate\)[[:space:]].*;#\1 $TMP/tls/fullchain.pem;#" \
  -e "s#^\([[:space:]]*ssl_certificate_key\)[[:space:]].*;#\1 $TMP/tls/privkey.pem;#" \
  -e "s#^\([[:space:]]*client_max_body_size\) 501m;#\1 2m;#" \
  -e "s#alias /var/lib/unionhub/static/;#alias $TMP/static/;#" \
  -e "s#^\([[:space:]]*server\) 127.0.0.1:8000;#\1 127.0.0.1:$APP_PORT;#" \
  "$GUIDE/nginx-unionhub.conf" >"$TMP/nginx/unionhub.conf"
SITE="$TMP/nginx/unionhub.conf"
expect_not_in "$SITE" "union.example.vn" "server_name or certificate path not replaced"
expect_not_in "$SITE" "/var/lib/unionhub" "static alias not replaced"
expect_not_in "$SITE" "listen 80;" "port 80 not replaced"
expect_not_in "$SITE" "listen 443 " "port 443 not replaced"
expect_in "$SITE" "server 127.0.0.1:$APP_PORT;" "upstream not pointed at gunicorn"
expect_in "$SITE" "client_max_body_size 2m;" "client_max_body_size not lowered"
expect_in "$SITE" "proxy_set_header X-Forwarded-For \$remote_addr;" "the guide's X-Forwarded-For"
cat >"$TMP/nginx/nginx.conf" <<EOF
# Minimal wrapper for the guide's site: every path in $TMP/nginx.
worker_processes 1;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log;
daemon on;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $TMP/nginx/access.log;
    client_body_temp_path $TMP/nginx/client_body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    include $SITE;
}
EOF
NGINX_ARGS=(-c "$TMP/nginx/nginx.conf" -p "$TMP/nginx/" -e "$TMP/nginx/error.log")
"$NGINX" -t -q "${NGINX_ARGS[@]}" 2>"$TMP/nginx/test.log" \
  || { cat "$TMP/nginx/test.log" >&2; fail "nginx -t refused the guide's site"; }
# --- PostgreSQL and Redis ------------------------------------------------------------------
step "fresh database $SMOKE_DB, Redis ${SMOKE_REDIS_URL##*/} flushed"
psql -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $SMOKE_DB WITH (FORCE)" \
  -c "CREATE DATABASE $SMOKE_DB ENCODING 'UTF8' TEMPLATE template0" >/dev/null \
  || fail "could not create the database $SMOKE_DB on $PGHOST:$PGPORT as $PGUSER"
"$VENV_BIN/python" -c 'import sys, redis; redis.Redis.from_url(sys.argv[1]).flushdb()' \
  "$SMOKE_REDIS_URL" || fail "Redis at $SMOKE_REDIS_URL does not answer"

# --- the guide's section 2: migrate and collectstatic; an officer --------------------------
# The two are independent: side by side, to save time.
step "unionhub migrate and unionhub collectstatic --noinput"
(cd "$REPO" && exec env -i "${APP_ENV[@]}" "$VENV_BIN/unionhub" collectstatic --noinput) \
  >"$TMP/collectstatic.log" 2>&1 &
COLLECT_PID=$!
PIDS+=($COLLECT_PID)
app migrate --noinput >"$TMP/migrate.log" 2>&1 || { tail -n 30 "$TMP/migrate.log"; fail "migrate"; }
wait "$COLLECT_PID" || { tail -n 30 "$TMP/collectstatic.log"; fail "collectstatic"; }
PIDS=()
# No command of the project creates an officer outside the demo province: Django's own, with
# the password from the environment.
OFFICER_PASSWORD="$(openssl rand -hex 16)"
APP_ENV+=(DJANGO_SUPERUSER_PASSWORD="$OFFICER_PASSWORD")
app createsuperuser --noinput --username "$OFFICER" --email smoke@localhost >/dev/null \
  || fail "could not create the officer account"
unset 'APP_ENV[${#APP_ENV[@]}-1]'

# --- the guide's units: gunicorn and one RQ worker, from their ExecStart= -------------------
WEB_CMD="$(exec_start "$GUIDE/unionhub-web.service" \
  | tr -s ' ' | sed -e "s#/opt/unionhub/.venv/bin/#$VENV_BIN/#g" -e "s#--bind [^ ]*#--bind 127.0.0.1:$APP_PORT#")"
WORKER_CMD="$(exec_start "$GUIDE/unionhub-worker@.service" \
  | tr -s ' ' | sed -e "s#/opt/unionhub/.venv/bin/#$VENV_BIN/#g" -e "s#%H#$(hostname)#g" -e "s#%i#smoke$$#g")"
for cmd in "$WEB_CMD" "$WORKER_CMD"; do
  [[ "$cmd" == "$VENV_BIN/"* ]] || fail "unexpected ExecStart= in the guide's unit: $cmd"
  [[ "$cmd" != *[\"\'%]* ]] || fail "ExecStart= with quotes or specifiers left: $cmd"
done
[[ "$WEB_CMD" == *"--bind 127.0.0.1:$APP_PORT"* ]] || fail "no --bind in the web unit: $WEB_CMD"
read -r -a WEB_ARGV <<<"$WEB_CMD"
read -r -a WORKER_ARGV <<<"$WORKER_CMD"
step "starting: $WEB_CMD"
(cd "$REPO" && exec env -i "${APP_ENV[@]}" "${WEB_ARGV[@]}") >"$TMP/gunicorn.log" 2>&1 &
PIDS+=($!)
step "starting: $WORKER_CMD"
(cd "$REPO" && exec env -i "${APP_ENV[@]}" "${WORKER_ARGV[@]}") >"$TMP/worker.log" 2>&1 &
PIDS+=($!)

step "starting nginx"
"$NGINX" "${NGINX_ARGS[@]}" || fail "nginx did not start"

# --- smoke test through nginx --------------------------------------------------------------
JAR="$TMP/cookies"
CURL=(curl -sS --max-time 20 --cacert "$TMP/tls/fullchain.pem"
  --resolve "localhost:$HTTPS_PORT:127.0.0.1" --resolve "localhost:$HTTP_PORT:127.0.0.1")
# The status code of a request (000 when curl could not connect); the body and the headers
# (without their \r) in $TMP/body and $TMP/headers. Extra curl arguments after the URL.
status() {
  "${CURL[@]}" -o "$TMP/body" -D "$TMP/headers.raw" -w '%{http_code}' "$@" || true
  tr -d '\r' <"$TMP/headers.raw" >"$TMP/headers" 2>/dev/null || : >"$TMP/headers"
}
alive() {
  for pid in "${PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null || fail "a process died (pid $pid): see the logs below"
  done
}

step "waiting for gunicorn behind nginx"
code=000
for _ in $(seq 120); do
  alive
  code=$(status "$BASE/healthz")
  [ "$code" = 200 ] && break
  sleep 0.25
done
[ "$code" = 200 ] || fail "/healthz through nginx answered $code, not 200"
expect_in "$TMP/body" '"status": "ok"' "/healthz did not say ok"
echo "ok   /healthz: 200 over HTTPS through nginx"

code=$(status "http://localhost:$HTTP_PORT/healthz")
[ "$code" = 301 ] || fail "http:// answered $code, not 301"
grep -qi '^location: https://localhost/healthz' "$TMP/headers" \
  || fail "http:// did not redirect to https (headers: $(tr '\n' ' ' <"$TMP/headers"))"
echo "ok   http:// → 301 to https://"

code=$(status "$BASE/accounts/login/" -c "$JAR")
[ "$code" = 200 ] || fail "the login page answered $code"
cp "$TMP/body" "$TMP/login.html"
expect_in "$TMP/login.html" 'name="password"' "the login page has no password field"
grep -qi '^strict-transport-security:' "$TMP/headers" \
  || fail "no HSTS on the login page: the app did not see X-Forwarded-Proto https"
echo "ok   login page renders"

CSS="$(grep -o 'href="/static/unionhub/app[^"]*\.css"' "$TMP/login.html" | head -n1 | cut -d'"' -f2)"
[ -n "$CSS" ] || fail "the login page links no unionhub/app*.css"
code=$(status "$BASE$CSS")
[ "$code" = 200 ] || fail "$CSS answered $code"
grep -qi '^cache-control: public, immutable' "$TMP/headers" \
  || fail "$CSS came without the conf's Cache-Control: public, immutable"
cmp -s "$TMP/body" "$TMP/static/${CSS#/static/}" || fail "$CSS is not the collected file"
if grep -q "GET $CSS" "$TMP/gunicorn.log"; then fail "$CSS reached gunicorn: nginx did not serve it"; fi
echo "ok   static $CSS served by nginx with Cache-Control: public, immutable"

token="$(grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' "$TMP/login.html" | head -n1 | cut -d'"' -f4)"
[ -n "$token" ] || fail "no CSRF token on the login page"
grep -q csrftoken "$JAR" || fail "no csrftoken cookie from the login page"
# From 127.0.0.2, with a forged X-Forwarded-For: the app must see what nginx saw.
code=$(status "$BASE/accounts/login/" --interface "$CLIENT_ADDR" -b "$JAR" -c "$JAR" \
  -H "Origin: $BASE" -H "Referer: $BASE/accounts/login/" -H "X-Forwarded-For: $SPOOFED_ADDR" \
  --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "username=$OFFICER" \
  --data-urlencode "password=$OFFICER_PASSWORD")
[ "$code" = 302 ] \
  || fail "the login from $CLIENT_ADDR answered $code, not 302 (CSRF, password, or no $CLIENT_ADDR on lo?)"
grep -qi '^location: /$' "$TMP/headers" || fail "the login did not send the officer home"
code=$(status "$BASE/" -b "$JAR" -c "$JAR")
[ "$code" = 200 ] || fail "the home page behind the login answered $code"
echo "ok   officer logs in (CSRF cookie + token) and reaches / behind the login"

code=$(head -c 3145728 /dev/zero | status "$BASE/accounts/login/" -b "$JAR" \
  -H "Content-Type: application/octet-stream" --data-binary @-)
[ "$code" = 413 ] || fail "a 3 MB body answered $code, not 413"
expect_in "$TMP/body" "nginx" "the 413 did not come from nginx"
echo "ok   3 MB body refused by nginx with 413 (client_max_body_size lowered to 2m)"

# One Django start for two things: the address django-axes recorded for the login (through
# core.clientip), and a member-list export started as the officer (core.jobs → RQ).
app shell -c "
from axes.models import AccessLog
from django.contrib.auth.models import User
from unionhub.core import jobs
from unionhub.members import exports
print('LOGIN_FROM=' + ','.join(AccessLog.objects.filter(username='$OFFICER').values_list('ip_address', flat=True)))
job = jobs.job_start(kind=exports.JOB_KIND, title='smoke', owner=User.objects.get(username='$OFFICER'), params={'unit': None, 'query': ''})
print('JOB=%s' % job.pk)
" >"$TMP/shell.out" 2>&1 || { cat "$TMP/shell.out"; fail "unionhub shell -c"; }
login_from="$(sed -n 's/^LOGIN_FROM=//p' "$TMP/shell.out")"
[ "$login_from" = "$CLIENT_ADDR" ] \
  || fail "the app recorded the login from '$login_from', not nginx's \$remote_addr $CLIENT_ADDR"
echo "ok   the app saw the client as $CLIENT_ADDR (nginx's \$remote_addr), not the forged $SPOOFED_ADDR"

job="$(sed -n 's/^JOB=//p' "$TMP/shell.out")"
[ -n "$job" ] || { cat "$TMP/shell.out"; fail "no job started"; }
state=""
for _ in $(seq 120); do
  alive
  code=$(status "$BASE/jobs/$job/progress/" -b "$JAR")
  [ "$code" = 200 ] || fail "the job's progress answered $code"
  state="$(grep -o 'data-status="[a-z]*"' "$TMP/body" | cut -d'"' -f2)"
  case "$state" in
    done) break ;;
    failed) fail "the job failed: $(tr -s ' \n' ' ' <"$TMP/body")" ;;
  esac
  sleep 0.25
done
[ "$state" = done ] || fail "the job is still '$state' after 30 s (is the RQ worker taking jobs?)"
code=$(status "$BASE/jobs/$job/download/" -b "$JAR")
[ "$code" = 200 ] && [ "$(head -c 2 "$TMP/body")" = PK ] \
  || fail "the job's XLSX did not download ($code)"
grep -q "Job OK\|Successfully completed\|$job" "$TMP/worker.log" \
  || fail "the RQ worker's log does not show the job"
echo "ok   background job done on the RQ worker; its XLSX downloads through nginx"

expect_not_in "$TMP/nginx/error.log" "\[emerg\]\|\[crit\]" "nginx logged an error"
stop_all
step "stopped nginx, gunicorn and the worker"
echo "SMOKE OK"
