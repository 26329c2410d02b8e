#!/bin/sh
# build.sh APP VERSION: pretends to build an image; prints it as JSON.
set -eu
app=$1 version=$2
echo "building $app $version" >&2
sleep 0.2
printf '{"image": "registry.example/%s:%s", "previous": "registry.example/%s:prev"}\n' \
	"$app" "$version" "$app"
