# GoOS bare-metal x86-64 image (hal-x86/). Included from the top-level CMakeLists.txt when
# GOOS_HAL is "x86": builds goos-x86.elf, which QEMU boots with -kernel (PVH entry).
#   cmake -S . -B build/x86 -G Ninja -DGOOS_HAL=x86 && ninja -C build/x86
enable_language(ASM)

set(GOOS_X86_DIR ${CMAKE_SOURCE_DIR}/hal-x86)
file(GLOB GOOS_X86_KERNEL_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/kernel/*.cpp)
file(GLOB GOOS_X86_PROGRAM_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/sim/programs/*.cpp)

set(GOOS_X86_FLAGS
  -ffreestanding -fno-exceptions -fno-rtti -nostdlib -fno-stack-protector -fno-threadsafe-statics
  -fno-use-cxa-atexit -fno-asynchronous-unwind-tables -fno-unwind-tables
  # No red zone: interrupts arrive on the running thread's stack.
  -mno-red-zone
  # The image runs identity-mapped at 1 MiB, so the small code model fits (mcmodel=kernel
  # needs the top 2 GiB of the address space).
  -mcmodel=small -fno-pic -fno-pie
  # A nil dereference must stay a load or store that faults, not become a trap (as in Linux).
  -fno-delete-null-pointer-checks
  # memcpy & co. must not compile into calls to themselves.
  -fno-tree-loop-distribute-patterns
  -O2 -Wall -Wextra)

add_executable(goos-x86.elf
  ${GOOS_X86_KERNEL_SOURCES} ${GOOS_X86_PROGRAM_SOURCES}
  ${GOOS_X86_DIR}/boot.S ${GOOS_X86_DIR}/isr.S ${GOOS_X86_DIR}/x86.cpp ${GOOS_X86_DIR}/main.cpp)
target_include_directories(goos-x86.elf PRIVATE ${CMAKE_SOURCE_DIR} ${GOOS_X86_DIR})
target_compile_options(goos-x86.elf PRIVATE $<$<COMPILE_LANGUAGE:CXX>:${GOOS_X86_FLAGS}>)
target_link_options(goos-x86.elf PRIVATE -nostdlib -static -no-pie -Wl,--build-id=none
  -Wl,-z,max-page-size=4096 -Wl,-T,${GOOS_X86_DIR}/link.ld)
set_target_properties(goos-x86.elf PROPERTIES LINK_DEPENDS ${GOOS_X86_DIR}/link.ld)
target_link_libraries(goos-x86.elf PRIVATE gcc)
