# Turn a binary file into a C++ source holding it as a byte array (an xxd -i that needs only
# cmake). Usage: cmake -DIN=file.aml -DOUT=file.cc -DSYMBOL=name -P embed.cmake
# Defines, in namespace vireo: const unsigned char SYMBOL[]; const std::size_t SYMBOL_size.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" nhex)
math(EXPR nbytes "${nhex} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
# 16 bytes a line (CMake regexes have no {n} repetition)
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)"
       "\\1\n    " bytes "${bytes}")
file(WRITE "${OUT}.tmp"
"// Generated from ${IN} by roms/embed.cmake; do not edit.
#include <cstddef>
namespace vireo {
extern const unsigned char ${SYMBOL}[];
extern const std::size_t ${SYMBOL}_size;
const unsigned char ${SYMBOL}[] = {
    ${bytes}
};
const std::size_t ${SYMBOL}_size = ${nbytes};
}  // namespace vireo
")
file(RENAME "${OUT}.tmp" "${OUT}")
