#!/usr/bin/env bash
# The build's model-signing key: made once per clean build (target/model-signing/ of the reactor's root, owner-only),
# it signs the demo model bundle's package (and the integration tests' models); its certificate is built into the
# scoring bundle as the one signer every distribution of this build trusts. A vendor signs with its own key instead
# (docs/security.md). Usage: model-signing-key.sh <key folder> <where to write the certificate>
set -eu
umask 077
dir=$1
cert=$2
keytool="${JAVA_HOME:+$JAVA_HOME/bin/}keytool"
mkdir -p "$dir"
if [ ! -f "$dir/build-key.p12" ] || [ ! -f "$dir/build-key.password" ]; then
    rm -f "$dir/build-key.p12"
    head -c 24 /dev/urandom | base64 | tr -d '\n/+=' > "$dir/build-key.password"
    "$keytool" -genkeypair -alias millwright-build -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA \
        -dname "CN=Millwright build key $(date -u +%Y-%m-%dT%H:%M:%SZ), O=Millwright" -validity 3650 \
        -storetype PKCS12 -keystore "$dir/build-key.p12" -storepass:file "$dir/build-key.password" 2>/dev/null
fi
mkdir -p "$(dirname "$cert")"
"$keytool" -exportcert -rfc -alias millwright-build -keystore "$dir/build-key.p12" -storepass:file "$dir/build-key.password" \
    -file "$cert" 2>/dev/null
