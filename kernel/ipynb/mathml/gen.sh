#!/bin/sh
# gen.sh copies Temml's JavaScript and style sheet from the npm package
# temml, pinned below, into this folder, and checks them and the package's
# LICENSE (quoted in TEMML-LICENSE.md) against the SHA-256 sums recorded
# there. Run it in this folder, with npm, tar and sha256sum on the PATH
# (go generate runs it):
#
#	go generate ./kernel/ipynb/mathml
#
# Only this script uses the network; the package runs the files that it
# leaves here, embedded at build time.
set -eu
version=0.13.5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
here=$(pwd)
cd "$tmp"
npm pack --silent "temml@$version" >/dev/null
tar -xzf "temml-$version.tgz"
cd package
sha256sum -c <<SUMS
1ab19148afe0dbc836b7a74f344071b3f3a70a7a8259ae4049e76894fcdf8d95  dist/temml.min.js
544f4e3fee4c36f4568e4f145fa626dc9573c5f4c96c523aadcc433c3989a239  dist/Temml-Local.css
12b4e5592a12baaf50637881f2cb9d66667b26b8d51a73cd8f0d6bcefe176ab6  LICENSE
SUMS
cp dist/temml.min.js dist/Temml-Local.css "$here/"
