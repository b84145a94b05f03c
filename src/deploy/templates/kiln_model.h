// kiln_model.h — internal interface of the model engine, the same for the compiled and interpreter engines.
#ifndef KILN_MODEL_H
#define KILN_MODEL_H
#include <stddef.h>
#include <stdint.h>
// Both engines work in one caller-provided arena of kiln_model_arena_bytes() bytes, 16-byte aligned.
size_t kiln_model_arena_bytes(void);
int kiln_model_init(uint8_t* arena);            // 0 on success
void* kiln_model_input(uint8_t* arena);         // the input tensor (TFLite layout), write it before invoke
const void* kiln_model_output(uint8_t* arena);  // the output tensor after invoke
int kiln_model_invoke(uint8_t* arena);          // 0 on success
#endif
