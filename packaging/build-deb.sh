#!/usr/bin/env bash
# Builds OpenNLB's Debian package, with one command:
#
#   packaging/build-deb.sh [--version VERSION] [--output DIR]
#
# and prints the package's path as its last line: artifacts/deb/opennlb_<version>_<arch>.deb.
#
# nlbd and nlb are published self-contained into /usr/lib/opennlb, sharing one copy of the .NET
# runtime, with links in /usr/sbin and /usr/bin: Debian has no .NET 10 runtime package, so the
# target needs none. Not trimmed: trimming would make the shipped code differ from the tested
# code wherever reflection is used (docs/service.md says more).
#
# The version is <VersionPrefix in Directory.Build.props>~git<commits>.<commit>, a pre-release
# of that version that sorts by commit count; --version sets it (a release: --version 0.1.0).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
here="$root/packaging"

version=""
output="$root/artifacts/deb"
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version=${2:?--version needs a value}; shift 2 ;;
    --output) output=${2:?--output needs a directory}; shift 2 ;;
    -h|--help) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-deb: unexpected argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

for tool in dotnet dpkg-deb dpkg-query readelf ldconfig; do
  command -v "$tool" >/dev/null || { echo "build-deb: needs $tool (readelf: apt-get install binutils)" >&2; exit 1; }
done

arch=$(dpkg --print-architecture)
case "$arch" in
  amd64) rid=linux-x64 ;;
  arm64) rid=linux-arm64 ;;
  *) echo "build-deb: no .NET runtime identifier for Debian architecture $arch" >&2; exit 1 ;;
esac

if [ -z "$version" ]; then
  prefix=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$root/Directory.Build.props")
  [ -n "$prefix" ] || { echo "build-deb: no VersionPrefix in Directory.Build.props" >&2; exit 1; }
  if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
    version="$prefix~git$(git -C "$root" rev-list --count HEAD).$(git -C "$root" rev-parse --short=7 HEAD)"
    git -C "$root" diff --quiet HEAD -- src Directory.Build.props Directory.Packages.props packaging || version="$version.dirty"
  else
    version=$prefix
  fi
fi
[[ "$version" =~ ^[0-9][A-Za-z0-9.+~]*$ ]] || { echo "build-deb: '$version' is not a Debian version" >&2; exit 2; }

work="$root/artifacts/deb/build"
pkg="$work/root"
lib="$pkg/usr/lib/opennlb"
doc="$pkg/usr/share/doc/opennlb"
rm -rf "$work"
mkdir -p "$work" "$output"

# 1. nlbd and nlb, self-contained, into one directory. Their common files (the runtime, the
# OpenNLB libraries) must be the same bytes, or one of the two would run with the other's.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
for project in nlbd nlb; do
  echo "build-deb: publishing $project ($rid, self-contained)" >&2
  dotnet publish "$root/src/$project" -c Release -r "$rid" --self-contained -nologo -clp:ErrorsOnly \
    -p:DebugType=none -p:InformationalVersion="$version" -p:IncludeSourceRevisionInInformationalVersion=false \
    -o "$work/$project" >&2
done
mkdir -p "$lib"
cp -a "$work/nlbd/." "$lib/"
(cd "$work/nlb" && find . -type f) | while read -r file; do
  if [ -e "$lib/$file" ]; then
    cmp -s "$work/nlb/$file" "$lib/$file" || { echo "build-deb: nlb and nlbd ship different $file" >&2; exit 1; }
  else
    install -D -m "$(stat -c %a "$work/nlb/$file")" "$work/nlb/$file" "$lib/$file"
  fi
done
# The LTTng trace provider needs liblttng-ust; without the file the runtime simply traces nothing.
rm -f "$lib/libcoreclrtraceptprovider.so"
mkdir -p "$pkg/usr/sbin" "$pkg/usr/bin"
ln -s ../lib/opennlb/nlbd "$pkg/usr/sbin/nlbd"
ln -s ../lib/opennlb/nlb "$pkg/usr/bin/nlb"

# 2. The unit, the example configuration, the documentation, the man pages.
install -D -m 644 "$here/nlbd.service" "$pkg/lib/systemd/system/nlbd.service"
mkdir -p "$pkg/etc/opennlb"
{
  echo "# An example configuration of nlbd, from the opennlb package. Copy it to /etc/opennlb/nlbd.yaml,"
  echo "# adapt it (the cluster section identical on every host, the host section per host), make the"
  echo "# cluster key as below, then: systemctl start nlbd. Every key: /usr/share/doc/opennlb/configuration.md."
  echo "#"
  cat "$root/examples/host1.yaml"
} > "$pkg/etc/opennlb/nlbd.yaml.example"
chmod 644 "$pkg/etc/opennlb/nlbd.yaml.example"
mkdir -p "$doc/examples"
install -m 644 "$root/README.md" "$root"/docs/*.md "$doc/"
install -m 644 "$root"/examples/*.yaml "$doc/examples/"
runtime=$(tr -d ' \n' < "$lib/nlbd.runtimeconfig.json" | grep -o '"name":"Microsoft.NETCore.App","version":"[^"]*"' | sed 's/.*"version":"//; s/"$//')
[ -n "$runtime" ] || { echo "build-deb: no Microsoft.NETCore.App version in nlbd.runtimeconfig.json" >&2; exit 1; }
packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
mkdir -p "$doc/dotnet"
for pack in microsoft.netcore.app.runtime microsoft.aspnetcore.app.runtime; do
  dir="$packages/$pack.$rid/$runtime"
  for notice in "$dir"/LICENSE.* "$dir"/THIRD-PARTY-NOTICES.*; do
    [ -f "$notice" ] && install -m 644 "$notice" "$doc/dotnet/${pack%.runtime}-$(basename "$notice" | tr 'A-Z' 'a-z')"
  done
done
sed "s/@RUNTIME@/$runtime/" "$here/debian/copyright" > "$doc/copyright"
mkdir -p "$pkg/usr/share/man/man8"
sed "s/@VERSION@/$version/" "$here/man/nlbd.8" > "$work/nlbd.8"
"$here/man/nlb-man.sh" "$lib/nlb" "$version" > "$work/nlb.8"
# nlbd(8) is written by hand: every option nlbd --help lists must be in it.
for option in $("$lib/nlbd" --help | grep -o -- '--[a-z-]*' | sort -u); do
  grep -q -- "$(sed 's/-/\\\\-/g' <<<"$option")" "$work/nlbd.8" \
    || { echo "build-deb: packaging/man/nlbd.8 does not describe $option, which nlbd --help lists" >&2; exit 1; }
done
for page in nlbd.8 nlb.8; do
  if command -v groff >/dev/null; then
    problems=$(groff -man -ww -z "$work/$page" 2>&1) || true
    [ -z "$problems" ] || { echo "build-deb: $page: $problems" >&2; exit 1; }
  fi
  gzip -9n < "$work/$page" > "$pkg/usr/share/man/man8/$page.gz"
done
chmod -R u=rwX,go=rX "$pkg"
find "$lib" -type f \( -name '*.dll' -o -name '*.json' \) -exec chmod 644 {} +

# 3. Depends: what the binaries are linked against, mapped to this system's packages, must be in
# the list below (which adds what they load by name: libssl3 for the heartbeat HMAC, libnftables1,
# and the tools nlbd runs). The list is written by hand and checked, not guessed.
depends="libc6, libgcc-s1, libstdc++6, libssl3, libnftables1, iproute2, conntrack, iputils-arping"
glibc=$(find "$lib" -type f -exec sh -c 'head -c4 "$1" | grep -q ELF' _ {} \; -print \
  | xargs readelf -V --wide 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
depends=${depends/libc6/libc6 (>= $glibc)}
while read -r soname; do
  [ -e "$lib/$soname" ] && continue
  path=$(ldconfig -p | awk -v s="$soname" '$1 == s && /x86-64|AArch64|aarch64/ { print $NF; exit }')
  [ -n "$path" ] || { echo "build-deb: $soname (needed by the runtime) is not on this system" >&2; exit 1; }
  owner=$(dpkg-query -S "$path" 2>/dev/null || dpkg-query -S "$(readlink -f "$path")" 2>/dev/null || dpkg-query -S "/usr$path" 2>/dev/null || true)
  owner=${owner%%:*}
  [ -n "$owner" ] || { echo "build-deb: no package owns $path ($soname)" >&2; exit 1; }
  [[ ", $depends," == *", $owner"[,\ ]* ]] \
    || { echo "build-deb: the binaries need $soname from $owner, which Depends does not list" >&2; exit 1; }
done < <(find "$lib" -type f -exec sh -c 'head -c4 "$1" | grep -q ELF' _ {} \; -print \
  | xargs readelf -d 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u)

# 4. The package.
mkdir -p "$pkg/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" -e "s/@DEPENDS@/$depends/" \
  "$here/debian/control.in" > "$pkg/DEBIAN/control"
install -m 644 "$here/debian/conffiles" "$pkg/DEBIAN/conffiles"
install -m 755 "$here/debian/postinst" "$here/debian/prerm" "$here/debian/postrm" "$pkg/DEBIAN/"
deb="$output/opennlb_${version}_${arch}.deb"
# In artifacts/deb (the default), a package of an earlier build is replaced, not piled up.
[ "$output" != "$root/artifacts/deb" ] || rm -f "$output"/opennlb_*_"$arch".deb
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >&2
echo "build-deb: $(du -h "$deb" | cut -f1) package, $((size / 1024)) MB installed; Depends: $depends" >&2
echo "$deb"
