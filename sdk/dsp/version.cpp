// Placeholder translation unit so kiln_sdk has a source before the DSP blocks land.
namespace kiln {
namespace dsp {
int sdk_abi_version() { return 1; }
}  // namespace dsp
}  // namespace kiln
