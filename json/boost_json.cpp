// Boost.JSON in header-only mode: its sources are compiled here, once, for
// every target that links baton_json (the wire codec, storage, the tests).
// Nothing else may include src.hpp.
#include <boost/json/src.hpp>
