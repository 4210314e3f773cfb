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

# goos-x86.iso: a GRUB (BIOS) rescue image that boots goos-x86.elf through Multiboot2, for
# real machines (a CD or a USB stick: grub-mkrescue's output is a hybrid image). Part of
# the default build when grub-mkrescue is installed (Debian: grub-pc-bin grub-common
# xorriso mtools); skipped with a message otherwise.
#   qemu-system-x86_64 -cdrom build/x86/goos-x86.iso -nographic   (or hal-x86/qemu.sh --iso)
find_program(GOOS_GRUB_MKRESCUE grub-mkrescue)
if(GOOS_GRUB_MKRESCUE)
  set(GOOS_X86_ISO_DIR ${CMAKE_BINARY_DIR}/iso)
  set(GOOS_X86_ISO ${CMAKE_BINARY_DIR}/goos-x86.iso)
  set(GOOS_X86_GRUB_CFG ${GOOS_X86_DIR}/grub.cfg)
  # The rescue image's early config loads every part_* module: include them, else GRUB
  # prints "file not found" for each.
  set(GOOS_X86_GRUB_MODULES "normal configfile serial terminal multiboot2 boot part_acorn part_amiga \
part_apple part_bsd part_dfly part_dvh part_gpt part_msdos part_plan part_sun part_sunpc")
  add_custom_command(OUTPUT ${GOOS_X86_ISO}
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${GOOS_X86_ISO_DIR}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${GOOS_X86_ISO_DIR}/boot/grub
    COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:goos-x86.elf> ${GOOS_X86_ISO_DIR}/boot/goos-x86.elf
    COMMAND ${CMAKE_COMMAND} -E copy ${GOOS_X86_GRUB_CFG} ${GOOS_X86_ISO_DIR}/boot/grub/grub.cfg
    # Only what the menu needs: no fonts, locales or themes (the menu is on the serial port).
    COMMAND ${GOOS_GRUB_MKRESCUE} -o ${GOOS_X86_ISO} --fonts= --locales= --themes=
            "--install-modules=${GOOS_X86_GRUB_MODULES}" ${GOOS_X86_ISO_DIR}
    DEPENDS goos-x86.elf ${GOOS_X86_GRUB_CFG}
    COMMENT "grub-mkrescue: goos-x86.iso (Multiboot2)"
    VERBATIM)
  add_custom_target(goos-x86-iso ALL DEPENDS ${GOOS_X86_ISO})
else()
  message(STATUS "grub-mkrescue not found: skipping goos-x86.iso (apt-get install grub-pc-bin grub-common xorriso mtools)")
endif()
