#!/usr/bin/env bash
# End-to-end tests of Go programs on GoOS: each program in examples/ and tests/go/cases/
# is built into a program image with tools/goos-build, loaded by the kernel's loader in
# goos-sim (hosted backend), and compared byte for byte with the same program built by
# gccgo-12 with libgo and run on Linux.
#
# What is compared: standard output and standard error merged (println writes to stderr
# in Go, GoOS has one console), up to and including the first line that starts with
# "panic: " or "fatal error: " (after it, libgo prints a stack trace with file names
# while GoOS prints its own goroutine report), and then the exit status.
#
# Usage: tests/go/run_tests.sh [-B builddir] [prog.go...]   Prints "N passed, M failed"
# last; exits non-zero on any failure. With GOOS_GC_STRESS=1 the programs are built with a
# runtime that collects after every 64 KiB allocated.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build="$root/build/go"
if [ "${1:-}" = "-B" ]; then
    build=$2
    shift 2
fi
progs=("$@")
if [ ${#progs[@]} -eq 0 ]; then
    progs=("$root"/examples/*.go "$root"/tests/go/cases/*.go)
fi
ref="$build/goos-ref${GOOS_GC_STRESS:+-gcstress}"
mkdir -p "$ref"
[ -f "$build/build.ninja" ] || cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target goos-sim -j "${GOOS_BUILD_JOBS:-2}" >/dev/null
sim="$build/goos-sim"

# Merged output cut after the first panic or fatal error line, then the status.
normalise() {  # file status
    awk '{ print } /^(panic|fatal error): / { exit }' "$1"
    echo "[exit status $2]"
}

pass=0
fail=0

# runtime/ is freestanding (DESIGN.md rule 1): compiled so, with its own memcpy and
# friends, it may need nothing but the kernel's entry and the program's own symbols.
fs="$build/goos-rt-freestanding"
rm -rf "$fs"  # no object of a file that is gone
mkdir -p "$fs"
fs_ok=1
for f in "$root"/runtime/*.cpp; do
    g++-12 -std=c++20 -O2 -ffreestanding -nostdlib -fno-exceptions -fno-rtti -fno-threadsafe-statics \
        -fno-stack-protector -fno-builtin -fno-tree-loop-distribute-patterns -mno-red-zone -I "$root" \
        -c "$f" -o "$fs/$(basename "$f" .cpp).o" || fs_ok=0
done
if [ $fs_ok = 1 ] && ld -r -o "$build/goos-rt-freestanding.o" "$fs"/*.o; then
    # Allowed: the program (main.main, __go_init_main), our runtime package's Go half
    # (runtime.*), the compiler's support libraries linked into every image (libgcc_eh's
    # unwinder for panics, libgcc's helpers), the linker's own symbols, the bounds goos
    # build links around the runtime's variables (tools/goos-rtdata.S), and weak
    # references (the predeclared types' descriptors, when a program has them). No libc.
    extra=$(nm -u "$build/goos-rt-freestanding.o" | awk '$1 == "U" { print $2 }' |
        grep -vxE 'main\.main|__go_init_main|runtime\..+|_Unwind_[A-Za-z]+|__popcount[sdt]i2|__ehdr_start|_end|_GLOBAL_OFFSET_TABLE_|goos_rt_(data|bss)_(begin|end)' || true)
    [ -z "$extra" ] || { fs_ok=0; echo "    runtime/ needs: $extra"; }
else
    fs_ok=0
fi
if [ $fs_ok = 1 ]; then
    echo "PASS runtime-freestanding"
    pass=$((pass + 1))
else
    echo "FAIL runtime-freestanding"
    fail=$((fail + 1))
fi

# Programs goos build must refuse (isolation rests on Go's memory safety), each with the
# reason its "// expect:" line names; and an image goos-sim's loader must refuse.
if [ $# -eq 0 ]; then
    for prog in "$root"/tests/go/refused/*.go; do
        name=refused-$(basename "$prog" .go)
        expect=$(sed -n 's|^// expect: ||p' "$prog")
        if "$root/tools/goos-build" -B "$build" -o "$ref/$name.elf" "$prog" >"$ref/$name.log" 2>&1; then
            echo "FAIL $name: goos build accepted it"
            fail=$((fail + 1))
        elif grep -q "$expect" "$ref/$name.log"; then
            echo "PASS $name"
            pass=$((pass + 1))
        else
            echo "FAIL $name: the reason is not '$expect':"
            sed 's/^/    /' "$ref/$name.log"
            fail=$((fail + 1))
        fi
    done
    name=refused-not-an-image
    "$sim" --quiet "$root/tests/go/refused/extern.go" >"$ref/$name.log" 2>&1
    status=$?
    if [ $status -eq 65 ] && grep -q "refused extern: not an ELF file" "$ref/$name.log"; then
        echo "PASS $name"
        pass=$((pass + 1))
    else
        echo "FAIL $name: goos-sim status $status:"
        sed 's/^/    /' "$ref/$name.log"
        fail=$((fail + 1))
    fi
fi

for prog in "${progs[@]}"; do
    name=$(basename "$prog" .go)
    if ! gccgo-12 -O2 "$prog" -o "$ref/$name" 2>"$ref/$name.build.log"; then
        echo "FAIL $name: the reference does not build (gccgo-12 with libgo)"
        sed 's/^/    /' "$ref/$name.build.log"
        fail=$((fail + 1))
        continue
    fi
    if ! image=$("$root/tools/goos-build" -B "$build" "$prog" 2>"$ref/$name.goos-build.log"); then
        echo "FAIL $name: tools/goos-build failed"
        sed 's/^/    /' "$ref/$name.goos-build.log" | tail -20
        fail=$((fail + 1))
        continue
    fi
    timeout 30 "$ref/$name" >"$ref/$name.ref.out" 2>&1
    ref_status=$?
    normalise "$ref/$name.ref.out" $ref_status >"$ref/$name.ref.txt"
    # Each program runs twice on GoOS: with the timer, and in deterministic mode.
    for mode in timer seed; do
        args=(--quiet)
        [ $mode = seed ] && args+=(--seed 7)
        timeout 30 "$sim" "${args[@]}" "$image" >"$ref/$name.goos-$mode.out" 2>&1
        goos_status=$?
        normalise "$ref/$name.goos-$mode.out" $goos_status >"$ref/$name.goos-$mode.txt"
        if cmp -s "$ref/$name.ref.txt" "$ref/$name.goos-$mode.txt"; then
            echo "PASS $name ($mode)"
            pass=$((pass + 1))
        else
            echo "FAIL $name ($mode): output differs (--- gccgo with libgo, +++ GoOS)"
            diff -u "$ref/$name.ref.txt" "$ref/$name.goos-$mode.txt" | tail -n +3 | head -40 | sed 's/^/    /'
            fail=$((fail + 1))
        fi
    done
done
# Programs that work together: each folder of examples/ and tests/go/multi/ is one run of
# goos-sim with every .go file in it as its own process (input.txt, when there, is the
# console input; goos-sim.args, when there, holds more goos-sim options). Compared with the folder's expected.txt: the programs' output, then each
# program's exit status, then the pages left in use and the invariants, in both modes.
multi_normalise() {  # output-file
    awk '/^--- summary ---$/ { exit } { print }' "$1" | sed '${/^$/d}'
    grep -E '^process [0-9]+ \(.*\) exit status' "$1" | sed -E 's/^process [0-9]+ \((.*)\) exit status (-?[0-9]+)$/exit \1 \2/' | sort
    grep -oE 'in use [0-9]+' "$1" | sed 's/^/pages /'
    grep -E '^invariants:' "$1"
}
if [ $# -eq 0 ]; then
    for dir in "$root"/examples/*/ "$root"/tests/go/multi/*/; do
        [ -f "$dir/expected.txt" ] || continue
        name=multi-$(basename "$dir")
        images=()
        built=1
        for prog in "$dir"*.go; do
            if ! images+=("$("$root/tools/goos-build" -B "$build" "$prog" 2>"$ref/$name.goos-build.log")"); then
                echo "FAIL $name: tools/goos-build failed on $(basename "$prog")"
                sed 's/^/    /' "$ref/$name.goos-build.log" | tail -20
                built=0
            fi
        done
        if [ $built = 0 ]; then
            fail=$((fail + 1))
            continue
        fi
        input=/dev/null
        [ -f "$dir/input.txt" ] && input="$dir/input.txt"
        for mode in timer seed; do
            args=()
            [ $mode = seed ] && args=(--seed 7)
            [ -f "$dir/goos-sim.args" ] && read -r -a more <"$dir/goos-sim.args" && args+=("${more[@]}")
            timeout 60 "$sim" "${args[@]}" "${images[@]}" <"$input" >"$ref/$name.$mode.out" 2>&1
            multi_normalise "$ref/$name.$mode.out" >"$ref/$name.$mode.txt"
            if cmp -s "$dir/expected.txt" "$ref/$name.$mode.txt"; then
                echo "PASS $name ($mode)"
                pass=$((pass + 1))
            else
                echo "FAIL $name ($mode): output differs (--- expected.txt, +++ GoOS)"
                diff -u "$dir/expected.txt" "$ref/$name.$mode.txt" | tail -n +3 | head -40 | sed 's/^/    /'
                fail=$((fail + 1))
            fi
        done
    done
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
