#!/bin/sh
# bench/gpu/stage.sh: prepares, on a Debian machine with chromium installed (/usr/lib/chromium), what the
# GPU machine needs (it has no internet, no Node, no Chromium, none of Chromium's libraries, no GL loaders):
#   bench/gpu/site/        the bench page (build.ts)                      -> carry "bench/gpu/site"
#   .gl/*.deb              libvulkan1 libegl1 libglvnd0 … (device README's .gl recipe) -> carry ".gl"
#   .gpustage-a/part1      first 56 MB of [chromium.xz, rest.tar.xz]       -> carry ".gpustage-a" (call 1)
#   .gpustage-b/part2      the rest                                        -> carry ".gpustage-b" (call 2)
# chromium.xz is the 267 MB binary (xz -9e: 73 MB); rest.tar.xz holds Chromium's other files (no
# validation layers, en-US locale only), every library `ldd chromium` resolves except glibc's own, NSS's
# modules, and one font with a fonts.conf (36 MB). Run from the repository root; takes ~6 min on 2 cores.
set -eu
root=$(pwd)
tmp=$(mktemp -d)
npx tsx bench/gpu/build.ts
grep -qx '/bench/gpu/site/' .git/info/exclude 2>/dev/null || echo '/bench/gpu/site/' >> .git/info/exclude
for p in /.gl/ /.gpustage-a/ /.gpustage-b/; do grep -qx "$p" .git/info/exclude || echo "$p" >> .git/info/exclude; done
mkdir -p .gl /tmp/amd64/partial
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
# shellcheck disable=SC2086
apt-get $o update >/dev/null
# shellcheck disable=SC2086
(cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
mkdir -p "$tmp/pay/chromium/lib" "$tmp/pay/chromium/locales" "$tmp/pay/fonts"
for f in $(ldd /usr/lib/chromium/chromium | awk '$3 ~ /^\// {print $3}'); do
  case $(basename "$f") in libc.so.6|libm.so.6|libpthread.so.0|libdl.so.2|librt.so.1|ld-linux*) continue;; esac
  cp -L "$f" "$tmp/pay/chromium/lib/"
done
cp -L /usr/lib/x86_64-linux-gnu/nss/*.so /usr/lib/x86_64-linux-gnu/libsoftokn3.so /usr/lib/x86_64-linux-gnu/libfreebl3.so \
  /usr/lib/x86_64-linux-gnu/libfreeblpriv3.so "$tmp/pay/chromium/lib/" 2>/dev/null || true
for f in /usr/lib/chromium/*; do
  case $(basename "$f") in chromium|libVkLayer_khronos_validation.so*|libVkICD_mock_icd.so*|locales) ;; *) cp -a "$f" "$tmp/pay/chromium/";; esac
done
cp /usr/lib/chromium/locales/en-US.pak "$tmp/pay/chromium/locales/"
cp /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf "$tmp/pay/fonts/"
printf '%s\n' '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>/opt/gpubench/fonts</dir><cachedir>/tmp/fc-cache</cachedir></fontconfig>' > "$tmp/pay/fonts/fonts.conf"
xz -9e -T0 -c /usr/lib/chromium/chromium > "$tmp/chromium.xz"
(cd "$tmp/pay" && tar -cf - chromium fonts) | xz -9 -T0 > "$tmp/rest.tar.xz"
(cd "$tmp" && tar -cf all.tar chromium.xz rest.tar.xz && split -b 56000000 -d all.tar part)
mkdir -p .gpustage-a .gpustage-b
mv "$tmp/part00" .gpustage-a/part1
mv "$tmp/part01" .gpustage-b/part2
rm -rf "$tmp"
ls -la .gpustage-a .gpustage-b .gl bench/gpu/site
cd "$root"
