// The static tests have already run: they are static_asserts, checked when
// their translation units compiled. This entry point lets ctest list them.
int main() { return 0; }
