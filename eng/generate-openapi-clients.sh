#!/usr/bin/env bash
# Regenerates the Kiota clients of the OpenAPI profiles shipped with CrmSync.Providers.OpenApi.
# Usage (from anywhere): bash eng/generate-openapi-clients.sh
# The Kiota CLI version is pinned in .config/dotnet-tools.json; the generated code is committed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dotnet tool restore >/dev/null
# Kiota asks GitHub for a newer version on each run; offline it logs "Unable to check for updates" and generates anyway.

generate() { # document, class name, namespace, output folder
  rm -rf "$4"
  dotnet kiota generate \
    --language CSharp \
    --openapi "$1" \
    --class-name "$2" \
    --namespace-name "$3" \
    --output "$4" \
    --serializer Microsoft.Kiota.Serialization.Json.JsonSerializationWriterFactory \
    --deserializer Microsoft.Kiota.Serialization.Json.JsonParseNodeFactory \
    --exclude-backward-compatible \
    --clean-output \
    --log-level Warning || { rm -f "$4/.kiota.log"; echo "kiota failed for $1" >&2; exit 1; }
  # Kiota writes a lock file with absolute paths and a timestamp-free description; keep it out of the package.
  rm -f "$4/kiota-lock.json" "$4/.kiota.log"
}

provider=providers/CrmSync.Providers.OpenApi/Profiles
generate "$provider/Reapit/reapit-foundations.openapi.json" ReapitClient CrmSync.Providers.OpenApi.Reapit.Client "$provider/Reapit/Generated"
# The sample portal's invented "Harbor CRM" runs on its profile alone (the provider needs no generated client for sync), so
# no client is generated for it: the portal does not reference the Kiota libraries a generated client compiles against.
