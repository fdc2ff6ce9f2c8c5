#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "actors/api.hpp"
#include "engine/types.hpp"

/// Client frames in (docs/protocol.md, "The envelope"): one JSON object per
/// text frame, decoded into the typed requests of actors/api.hpp. No simdjson
/// in this header; docs/protocol.md lists every rule the decoder applies.
namespace baton::gateway {

/// `hello`: the first frame of a session. The session checks the token.
struct hello_request {
  engine::role role = engine::role::customer;
  std::string user;  ///< empty only for an anonymous customer
  std::string token; ///< empty exactly when `user` is
  std::string name;  ///< display name, may be empty
};

/// `auth.refresh`: a new token for the session's own role and user, before
/// the one it said `hello` with expires.
struct refresh_request {
  std::string token;
};

/// A well-formed request.
struct client_frame {
  std::optional<std::string> id;
  /// The wire name, e.g. "message.send"; static storage.
  std::string_view type;
  std::variant<hello_request, refresh_request, actors::request> body;
  /// conversation.start only: `attributes.name`, the customer's display name
  /// (a customer's goes into actors::caller::name). Empty when not given.
  std::string display_name;
};

/// A well-formed request for a verb (or a variant of one) that the protocol
/// defines but this server cannot carry out yet. The session answers
/// `bad_request` "not supported yet: <what>" (encode_unsupported).
struct unsupported_verb {
  std::optional<std::string> id;
  std::string_view type; ///< static storage
  std::string_view what; ///< static storage: the verb, or the feature
};

/// A malformed frame: always answered with `bad_request`. `id` is set when
/// the frame's `id` could be read before the fault, so the error carries `re`.
struct decode_error {
  std::optional<std::string> id;
  std::string message;
};

using decode_result
  = std::variant<client_frame, unsupported_verb, decode_error>;

/// Limits the decoder applies where the protocol is silent.
namespace limits {
inline constexpr std::size_t max_request_id_chars = 64;  ///< docs/protocol.md
inline constexpr std::size_t max_short_text_bytes = 256; ///< reason, names
inline constexpr std::size_t max_token_bytes = 256;
/// A transfer's note, a bot's summary: read by an agent, not an essay.
inline constexpr std::size_t max_note_bytes = 4096;
inline constexpr int max_nesting = 32; ///< the frame object is level 1
inline constexpr std::uint32_t max_history_limit = 500; ///< docs/protocol.md
inline constexpr std::uint32_t default_history_limit = 50;
/// `agent.list` pages: at most, and when no `limit` is given.
inline constexpr std::uint32_t max_agent_list_limit = 500;
/// `waitlist.list` entries: at most, and when no `limit` is given.
inline constexpr std::uint32_t max_waitlist_limit = 500;
} // namespace limits

/// Decodes the frames of one session: one simdjson parser and one padded
/// buffer, both reused and grown only. Not thread-safe (one per session, used
/// on its I/O thread). A result owns its strings: nothing points into the
/// decoder.
class frame_decoder {
public:
  /// Bytes simdjson may read past the end of a frame
  /// (simdjson::SIMDJSON_PADDING).
  static constexpr std::size_t padding = 64;

  frame_decoder();
  ~frame_decoder();
  frame_decoder(frame_decoder&&) noexcept;
  frame_decoder& operator=(frame_decoder&&) noexcept;

  /// Copies `text` into the reused padded buffer, then decodes it.
  decode_result decode(std::string_view text);

  /// Decodes in place: `text.data()` has `capacity` readable bytes, of which
  /// at least `padding` follow the text (e.g. a Beast flat_buffer after
  /// `prepare(padding)`). With less room it falls back to the copy.
  decode_result decode(std::string_view text, std::size_t capacity);

  /// Bytes of the reused buffer, padding included (it only grows).
  std::size_t buffer_capacity() const noexcept;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace baton::gateway
