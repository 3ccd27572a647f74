import { z } from "zod";
import * as common from "./dist/types/common.js";
import * as events from "./dist/types/events.js";
import * as users from "./dist/types/users.js";
import * as lists from "./dist/types/lists.js";
import * as messaging from "./dist/types/messaging.js";
import fs from "fs";
const wanted = {
  IterableSuccessResponse: common.IterableSuccessResponseSchema,
  BulkTrackResponse: events.BulkTrackResponseSchema,
  GetUserEventsResponse: events.GetUserEventsByEmailResponseSchema,
  GetUserEventsByUserIdResponse: events.GetUserEventsByUserIdResponseSchema,
  UserResponse: users.UserResponseSchema,
  GetUserFieldsResponse: users.GetUserFieldsResponseSchema,
  UserBulkUpdateListResponse: lists.UserBulkUpdateListResponseSchema,
  GetListsResponse: lists.GetListsResponseSchema,
  CreateListResponse: lists.CreateListResponseSchema,
  GetListPreviewUsersResponse: lists.GetListPreviewUsersResponseSchema,
  ChannelsResponse: messaging.ChannelsResponseSchema,
  MessageTypesResponse: messaging.MessageTypesResponseSchema,
};
for (const [name, s] of Object.entries(wanted)) {
  if (!s) { console.log("missing", name); continue; }
  fs.writeFileSync(`./${name}.json`, JSON.stringify(z.toJSONSchema(s, { io: "input", unrepresentable: "any" }), null, 2));
}
console.log("ok");
