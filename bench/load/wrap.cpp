#include "bench/load/wrap.hpp"

#include <sstream>
#include <string>

namespace baton::bench {

void write_wrapped(std::ostream& o, std::string_view text, std::size_t col,
                   std::size_t at, std::size_t width) {
  if (col >= at) {
    o << '\n';
    col = 0;
  }
  std::istringstream words{std::string(text)};
  std::string word;
  bool line_start = true;
  while (words >> word) {
    if (!line_start && col + 1 + word.size() > width) {
      o << '\n';
      col = 0;
      line_start = true;
    }
    if (line_start) {
      o << std::string(at - col, ' ');
      col = at;
    } else {
      o << ' ';
      ++col;
    }
    o << word;
    col += word.size();
    line_start = false;
  }
  o << '\n';
}

} // namespace baton::bench
