// Floating-point and vector checksums of compiler-generated code (checksums.c), computed the
// same way on the host and in the guest: each line is "name=hex".
#pragma once
void checksums(void (*emit)(const char* line));
