// Public API of @streamhouse/catalog: every export is listed by name.
export { fb303Types, hmsService, hmsTypes } from "./hms/generated.js";
