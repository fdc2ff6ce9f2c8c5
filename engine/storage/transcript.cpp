#include "engine/storage/transcript.hpp"

#include <boost/json/serialize.hpp>

#include "engine/conversation/conversation.hpp"
#include "engine/storage/event_codec.hpp"

namespace baton::engine::storage {

std::string transcript_json(const std::string& id,
                            const std::vector<event>& log) {
  conversation c(id);
  boost::json::array events;
  time_ms last_close = 0;
  for (const auto& e : log) {
    c.apply(e);
    events.push_back(encode_event(e));
    if (std::holds_alternative<conversation_closed>(e.body))
      last_close = e.ts;
  }
  boost::json::value closed_at = nullptr;
  if (c.state() == conversation_state::closed)
    closed_at = last_close;
  boost::json::object out{{"conversation", id},
                          {"state", to_string(c.state())},
                          {"created_at", c.created_at()},
                          {"closed_at", closed_at},
                          {"events", std::move(events)}};
  return boost::json::serialize(out);
}

} // namespace baton::engine::storage
