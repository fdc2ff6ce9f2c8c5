// Every message of actors/wire/type_ids.hpp survives CAF's binary
// serialisation unchanged, alone and inside a caf::message: what one node
// sends, another reads back field for field.
#include <cstddef>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <boost/pfr.hpp>
#include <gtest/gtest.h>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/binary_deserializer.hpp"
#include "caf/binary_serializer.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/message.hpp"
#include "caf/send.hpp"
#include "caf/typed_actor.hpp"

#include "actors/wire/registry.hpp"
#include "actors/wire/type_ids.hpp"

namespace baton::actors {
namespace {

/// Moves every field of a message away from its default value: strings
/// and numbers change, flags flip, enums step to the next value, containers
/// get one filled element, optionals a filled value, variants their
/// `alternative`-th alternative (modulo their count), handles `handle`. It
/// finds the fields of a struct by reflection (Boost.PFR), not through its
/// `inspect`: a field that `inspect` forgets is filled all the same, and the
/// round trip then finds it missing.
class filler {
public:
  filler(caf::actor handle, std::size_t alternative)
    : handle_(std::move(handle)), alternative_(alternative) {
  }

  template <class T>
  void fill(T& x) {
    boost::pfr::for_each_field(x, [this](auto& field) { fill(field); });
  }
  // Not an aggregate (each body converts to a reply), so named field by
  // field.
  void fill(reply& x) {
    fill(x.code);
    fill(x.message);
    fill(x.body);
  }

private:
  void fill(std::string& x) {
    x += "s" + std::to_string(++counter_);
  }
  void fill(bool& x) {
    x = !x;
  }
  template <class T>
  requires std::is_arithmetic_v<T>
  void fill(T& x) {
    x = static_cast<T>(x + static_cast<T>(++counter_ % 100 + 1));
  }
  template <class T>
  requires std::is_enum_v<T>
  void fill(T& x) {
    using number = std::underlying_type_t<T>;
    x = static_cast<T>(static_cast<number>(x) + 1);
  }
  void fill(caf::actor& x) {
    x = handle_;
  }
  template <class... Sigs>
  void fill(caf::typed_actor<Sigs...>& x) {
    // Only serialised here, never sent to: any actor will do.
    x = caf::actor_cast<caf::typed_actor<Sigs...>>(handle_);
  }
  template <class T>
  void fill(std::vector<T>& x) {
    fill(x.emplace_back());
  }
  template <class K, class V>
  void fill(std::unordered_map<K, V>& x) {
    std::pair<K, V> entry;
    fill(entry);
    x.emplace(std::move(entry));
  }
  template <class A, class B>
  void fill(std::pair<A, B>& x) {
    fill(x.first);
    fill(x.second);
  }
  template <class T>
  void fill(std::optional<T>& x) {
    fill(x.emplace());
  }
  template <class... Ts>
  void fill(std::variant<Ts...>& x) {
    emplace_alternative(x, alternative_ % sizeof...(Ts),
                        std::index_sequence_for<Ts...>{});
    std::visit([this](auto& value) { fill(value); }, x);
  }
  template <class... Ts, std::size_t... Is>
  static void emplace_alternative(std::variant<Ts...>& x, std::size_t index,
                                  std::index_sequence<Is...>) {
    ((Is == index ? (void) x.template emplace<Is>() : (void) 0), ...);
  }
  // A cache of this process, never sent (api.hpp).
  void fill(rendered_frames&) {
  }

  caf::actor handle_;
  std::size_t alternative_;
  int counter_ = 0;
};

/// Enough variants of a sample to reach every alternative of the largest
/// variant in a message (the request variant).
constexpr std::size_t samples_per_type = 32;

class TypeIdsTest : public ::testing::Test {
protected:
  TypeIdsTest() : system_(config()) {
    handle_ = system_.spawn([]() -> caf::behavior { return {[](int) {}}; });
  }
  ~TypeIdsTest() override {
    // A serialised handle is pinned in the registry until its actor exits.
    caf::anon_send_exit(handle_, caf::exit_reason::user_shutdown);
  }

  static caf::actor_system_config& config() {
    static caf::actor_system_config cfg = [] {
      caf::actor_system_config c;
      add_message_types(c);
      return c;
    }();
    return cfg;
  }

  template <class T>
  T sample(std::size_t alternative) {
    T x{};
    filler{handle_, alternative}.fill(x);
    return x;
  }

  template <class T>
  T through_bytes(const T& x) {
    std::vector<char> bytes;
    caf::binary_serializer sink{system_, bytes};
    auto copy = x;
    EXPECT_FALSE(sink(copy));
    T back{};
    caf::binary_deserializer source{system_, bytes};
    EXPECT_FALSE(source(back));
    return back;
  }

  caf::message through_bytes(const caf::message& m) {
    std::vector<char> bytes;
    caf::binary_serializer sink{system_, bytes};
    auto copy = m;
    EXPECT_FALSE(sink(copy));
    caf::message back;
    caf::binary_deserializer source{system_, bytes};
    EXPECT_FALSE(source(back));
    return back;
  }

  template <caf::type_id_t I>
  void check_one() {
    using type = typename caf::type_by_id<I>::type;
    static_assert(!caf::allowed_unsafe_message_type<type>::value,
                  "a type in the block still marked unsafe serialises as "
                  "nothing");
    const char* name = caf::type_name_by_id<I>::value;
    SCOPED_TRACE(name);
    for (std::size_t alt = 0; alt < samples_per_type; ++alt) {
      auto x = sample<type>(alt);
      if constexpr (!std::is_empty_v<type>) {
        ASSERT_FALSE(x == type{}) << "the sample leaves every field default";
      }
      EXPECT_TRUE(through_bytes(x) == x) << "a field did not survive";
      auto back = through_bytes(caf::make_message(x));
      ASSERT_TRUE(back.template match_elements<type>())
        << "read back as another type";
      EXPECT_TRUE(back.template get_as<type>(0) == x)
        << "a field did not survive";
    }
  }

  template <caf::type_id_t... Is>
  void check_all(std::integer_sequence<caf::type_id_t, Is...>) {
    (check_one<caf::id_block::baton::begin + Is>(), ...);
  }

  caf::actor_system system_;
  caf::actor handle_;
};

TEST_F(TypeIdsTest, EveryMessageSurvivesTheWireFieldForField) {
  constexpr auto count = caf::id_block::baton::end
                         - caf::id_block::baton::begin;
  static_assert(count > 40, "the block lists every message");
  check_all(std::make_integer_sequence<caf::type_id_t, count>{});
}

TEST_F(TypeIdsTest, AMessageTravelsUnderItsQualifiedName) {
  EXPECT_STREQ(caf::type_name_by_id<caf::type_id<enqueue>::value>::value,
               "baton::actors::enqueue");
  auto back = through_bytes(caf::make_message(revoke{"c-1", "o-1", {}}));
  ASSERT_TRUE(back.match_elements<revoke>());
  EXPECT_EQ(back.get_as<revoke>(0).offer, "o-1");
}

} // namespace
} // namespace baton::actors
