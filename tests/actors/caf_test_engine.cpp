// CAF's test coordinator fixture needs the symbols of CAF's unit-test engine;
// GoogleTest provides main.
#define CAF_TEST_NO_MAIN
#include "caf/test/unit_test_impl.hpp"
