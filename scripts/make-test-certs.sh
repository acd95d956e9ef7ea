#!/usr/bin/env bash
# Throwaway TLS material for the test brokers' SSL and SASL_SSL listeners (never for real use):
#
#   DIR/ca.pem             test CA certificate: clients trust it (ssl.ca.location)
#   DIR/ca.key             its key (only used here, to sign the broker certificate)
#   DIR/broker.pem         broker certificate, SAN IP:127.0.0.1 and DNS:localhost, signed by the CA
#   DIR/broker.key         its unencrypted PKCS#8 key
#   DIR/untrusted-ca.pem   a second, unrelated CA: trusting only it must make SSL fail
#
# EC P-256 keys: generated in milliseconds, and Kafka's PEM key store reads EC PKCS#8.
# Idempotent: does nothing when DIR already holds every file (so parallel test runs and
# restarts keep the certificates the brokers were started with).
set -euo pipefail

readonly PROG=make-test-certs.sh
die() { echo "$PROG: $*" >&2; exit 1; }
(($# == 1)) || { echo "usage: $PROG DIR" >&2; exit 2; }
dir=$1
files=(ca.pem ca.key broker.pem broker.key untrusted-ca.pem)

complete() {
  local f
  for f in "${files[@]}"; do [[ -s $dir/$f ]] || return 1; done
}
complete && exit 0
command -v openssl >/dev/null || die "openssl not found on PATH"
mkdir -p "$dir"

# Build in a private temp dir and move the files in at the end, so a concurrent or
# interrupted run never leaves a half-made set that the check above would accept.
tmp=$(mktemp -d "$dir/.certs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
days=3650
new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

make_ca() {  # key cert common_name
  new_key "$1"
  openssl req -x509 -new -key "$1" -out "$2" -days "$days" -subj "/CN=$3" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null || die "cannot make the CA certificate $3"
}

make_ca "$tmp/ca.key" "$tmp/ca.pem" "ck-migrate test CA"
make_ca "$tmp/untrusted-ca.key" "$tmp/untrusted-ca.pem" "ck-migrate untrusted test CA"

new_key "$tmp/broker.key"
openssl req -new -key "$tmp/broker.key" -out "$tmp/broker.csr" -subj "/CN=localhost" 2>/dev/null \
  || die "cannot make the broker certificate request"
# librdkafka 2.x checks the host name against the subjectAltName (the CN is not enough).
cat >"$tmp/broker.ext" <<'EOF'
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=IP:127.0.0.1,DNS:localhost
EOF
openssl x509 -req -in "$tmp/broker.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" \
  -CAcreateserial -out "$tmp/broker.pem" -days "$days" -extfile "$tmp/broker.ext" 2>/dev/null \
  || die "cannot sign the broker certificate"
openssl verify -CAfile "$tmp/ca.pem" "$tmp/broker.pem" >/dev/null \
  || die "the broker certificate does not verify against the CA"

chmod 600 "$tmp"/*.key
for f in "${files[@]}"; do mv -f "$tmp/$f" "$dir/$f"; done
echo "$PROG: test certificates in $dir" >&2
