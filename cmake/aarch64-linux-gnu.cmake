# Cross-compiling for 64-bit ARM Linux (NEON) on an x86-64 Debian machine,
# the tests run under qemu-user: scripts/test.sh's neon configuration.
#   cmake -S . -B build/test-neon -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake \
#         -DCMAKE_CXX_COMPILER=clang++          (or aarch64-linux-gnu-g++)
# Needs Debian's g++-aarch64-linux-gnu (the target's C and C++ libraries and
# linker, which clang++ uses too) and qemu-user, which scripts/setup.sh installs.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_CXX_COMPILER_TARGET aarch64-linux-gnu)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
# Boost and xsimd are header-only here, and their headers are the same for
# every target: the host's are used.
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
