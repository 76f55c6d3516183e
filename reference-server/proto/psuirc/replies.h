#pragma once
// The strings the server sends, from spec sections 5.10 and 6. The spec writes some with a
// trailing space or a "\n" inside ("welcome user \n", "\n exit successful"); on the wire each
// is one line without that whitespace (docs/protocols/psuirc.md).
#include <string_view>

namespace relaycheck::proto::psuirc::reply {

inline constexpr std::string_view kWelcome = "welcome user";                        // WELCOME_CLIENT
inline constexpr std::string_view kInvalidUsername = "invalid username";            // section 6 prose
inline constexpr std::string_view kNameExists = "name exists";                      // CLIENT_EXISTS
inline constexpr std::string_view kAlreadyIn = "you are already in the system";     // CLIENT_ALREADY_IN
inline constexpr std::string_view kInputInvalid = "input invalid";                  // INPUT_INVALID
inline constexpr std::string_view kClientInvalid = "client invalid";                // CLIENT INVALID
inline constexpr std::string_view kUnknownCommand = "command invalid Type - HELP";  // UNKNOWN_COMMAND
inline constexpr std::string_view kRoomsTitle = "Available rooms";                  // ROOMS AVAILABLE TITLE
inline constexpr std::string_view kNoRooms = "Sorry, no rooms";                     // NO_ROOMS_TITLE
inline constexpr std::string_view kInvalidRoomName = "invalid room name";           // INVALID_ROOM_NAME
inline constexpr std::string_view kNoSuchRoom = "room does not exist";              // ROOM DOES NOT EXIST
inline constexpr std::string_view kMembersTitle = "room members";                   // ROOM_MEMBERS
inline constexpr std::string_view kRoomAdded = "new room added";                    // ROOM ADDED
inline constexpr std::string_view kAlreadyMember = "you are already member";        // ALREADY_MEMBER
inline constexpr std::string_view kMemberJoined = "new member joined in room";      // NEW_MEMBER_JOINED
inline constexpr std::string_view kMemberLeft = "one member left the room";         // MEMBER_LEFT
inline constexpr std::string_view kYouLeft = "you left the room";                   // YOU_LEFT_ROOM
inline constexpr std::string_view kGranted = "Membership granted to the room";      // MEMBERSHIP_GRANTED
inline constexpr std::string_view kNotMember = "you are not member";                // NOT MEMBER
inline constexpr std::string_view kBadMessage = "invalid message format";           // INVALID_MESSAGE_FORMAT
inline constexpr std::string_view kExit = "exit successful";                        // EXIT SUCCESSFUL
// Not in the spec (5.7 describes it without a string): the sender's confirmation is
// kDeliveredPrefix + room name.
inline constexpr std::string_view kDeliveredPrefix = "message delivered to ";
// Not in the spec (5.8 describes it without a string): the answer to "help", one line.
inline constexpr std::string_view kHelp =
    "commands: liro | lime <room> | room <room> | join <room> | leve <room> | send <room> <message> | help | exit";

}  // namespace relaycheck::proto::psuirc::reply
