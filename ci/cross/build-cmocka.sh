#!/bin/sh
# build-cmocka.sh PREFIX - builds a static mingw-w64 (x86_64) cmocka into
# PREFIX from Debian's own source package, and writes PREFIX/lib/pkgconfig/
# cmocka.pc. Debian packages no mingw cmocka, so we build the distribution's
# source with the distribution's toolchain. Idempotent: nothing is done when
# PREFIX already holds the library and its .pc file.
#
# apt is pointed at a private source list and private list/cache folders
# under PREFIX/../cmocka-src (the system's apt configuration is left alone);
# the mirror is the one this machine's own sources use.
set -eu

prefix=${1:?usage: build-cmocka.sh PREFIX}
case $prefix in /*) ;; *) prefix=$(pwd)/$prefix ;; esac
work=$(dirname "$prefix")/cmocka-src
triplet=x86_64-w64-mingw32

if [ -f "$prefix/lib/libcmocka.a" ] && [ -f "$prefix/lib/pkgconfig/cmocka.pc" ] &&
   grep -q __gnu_printf__ "$prefix/include/cmocka.h"; then
    echo "build-cmocka: already built in $prefix"
    exit 0
fi

for tool in $triplet-gcc cmake dpkg-source apt-get; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "build-cmocka: $tool not found (apt-get install gcc-mingw-w64-x86-64 cmake dpkg-dev)" >&2
        exit 1
    }
done

# The mirror serving this release's own suite, from deb822 .sources files or
# one-line .list files. Prints "URI|Signed-By" (Signed-By may be empty).
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
find_mirror() {
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        # deb822: paragraphs separated by blank lines; keep enabled "deb"
        # stanzas whose Suites list the release codename.
        awk -v want="$codename" '
            function flush() {
                if (types ~ /(^| )deb( |$)/ && enabled != "no" && uri != "" &&
                    (" " suites " ") ~ (" " want " ")) { print uri "|" key; found = 1; exit }
                types = ""; uri = ""; suites = ""; key = ""; enabled = ""
            }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { flush(); next }
            tolower($1) == "types:"     { $1 = ""; types = $0 }
            tolower($1) == "uris:"      { uri = $2 }
            tolower($1) == "suites:"    { $1 = ""; suites = $0 }
            tolower($1) == "signed-by:" { key = $2 }
            tolower($1) == "enabled:"   { enabled = tolower($2) }
            END { if (!found) flush() }
        ' "$f" | head -n 1
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        # "deb [opts] URI SUITE COMPONENTS..."; the options are dropped
        # except signed-by.
        awk -v want="$codename" '
            $1 != "deb" { next }
            {
                key = ""; i = 2
                if ($2 ~ /^\[/) {
                    for (; i <= NF; i++) {
                        if ($i ~ /^\[?signed-by=/) { key = $i; sub(/^\[?signed-by=/, "", key); sub(/\]$/, "", key) }
                        if ($i ~ /\]$/) { i++; break }
                    }
                }
                if ($(i + 1) == want) { print $i "|" key; exit }
            }
        ' "$f"
    done
}
mirror=$(find_mirror | head -n 1)
if [ -z "$mirror" ]; then
    echo "build-cmocka: no apt source for suite '$codename' found in /etc/apt" >&2
    exit 1
fi
uri=${mirror%%|*}
key=${mirror#*|}

mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/etc"
opts=""
[ -n "$key" ] && opts="[signed-by=$key] "
echo "deb-src ${opts}$uri $codename main" > "$work/etc/sources.list"
set -- -o Dir::Etc::SourceList="$work/etc/sources.list" \
       -o Dir::Etc::SourceParts=/dev/null \
       -o Dir::State::Lists="$work/lists" \
       -o Dir::Cache="$work/cache" \
       -o APT::Sandbox::User=root

echo "build-cmocka: source from $uri ($codename)"
cd "$work"
if ! ls cmocka_*.dsc >/dev/null 2>&1; then
    apt-get "$@" -q update
    apt-get "$@" -q source --download-only cmocka
fi
dsc=$(ls cmocka_*.dsc | head -n 1)
rm -rf src
# The .dsc's inline signature cannot be checked without debian-keyring, but
# apt already checked its hash against the signed Release file; dpkg-source
# still checks the tarballs against the .dsc.
dpkg-source -x "$dsc" src >extract.log 2>&1 || { cat extract.log >&2; exit 1; }

# A CMake toolchain for the mingw target; static only (no DLL to ship to Wine).
cat > toolchain.cmake <<EOF
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER $triplet-gcc)
set(CMAKE_RC_COMPILER $triplet-windres)
set(CMAKE_FIND_ROOT_PATH /usr/$triplet)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
EOF

rm -rf build
cmake -S src -B build -DCMAKE_TOOLCHAIN_FILE="$work/toolchain.cmake" \
      -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
      -DCMAKE_C_FLAGS=-D__USE_MINGW_ANSI_STDIO=1 \
      -DBUILD_SHARED_LIBS=OFF -DWITH_STATIC_LIB=ON -DUNIT_TESTING=OFF \
      -DWITH_EXAMPLES=OFF -DPICKY_DEVELOPER=OFF >build.log 2>&1 ||
    { cat build.log >&2; exit 1; }
cmake --build build -j 2 >>build.log 2>&1 || { cat build.log >&2; exit 1; }
cmake --install build >>build.log 2>&1 || { cat build.log >&2; exit 1; }

# cmocka 1.1 always builds the DLL too; keep only the static archive, named
# so that -lcmocka finds it (the linker would prefer libcmocka.dll.a).
[ -f "$prefix/lib/libcmocka-static.a" ] || { echo "build-cmocka: no static library installed" >&2; exit 1; }
mv "$prefix/lib/libcmocka-static.a" "$prefix/lib/libcmocka.a"
rm -f "$prefix/lib/libcmocka.dll.a" "$prefix/bin/cmocka.dll"
rm -rf "$prefix/lib/cmake"

# cmocka.h declares print_message() & co. with the `printf` format archetype,
# which mingw-w64's GCC checks as msvcrt's printf (no %zu). This build uses
# mingw's C99 printf (__USE_MINGW_ANSI_STDIO=1 above), so say so: gnu_printf.
sed -i 's/__format__ (__printf__, a, b)/__format__ (__gnu_printf__, a, b)/' \
    "$prefix/include/cmocka.h"
grep -q __gnu_printf__ "$prefix/include/cmocka.h" ||
    { echo "build-cmocka: cmocka.h's printf attribute not found" >&2; exit 1; }
version=$(sed -n 's/^Version: *//p' "$dsc" | head -n 1)
mkdir -p "$prefix/lib/pkgconfig"
cat > "$prefix/lib/pkgconfig/cmocka.pc" <<EOF
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: cmocka
Description: unit testing framework (static, mingw-w64 build of Debian's source)
Version: ${version%%-*}
Libs: -L\${libdir} -lcmocka
Cflags: -I\${includedir}
EOF
echo "build-cmocka: installed $prefix/lib/libcmocka.a (cmocka ${version%%-*})"
