export * from './errors';
export { decodeScriptText, DEFAULT_MAX_SCRIPT_BYTES, type DecodeOptions } from './decode';
export { detectFormat, type ScreenplayFormat } from './detect-format';
export {
  parseScreenplay,
  DEFAULT_MAX_SCENES,
  DEFAULT_MAX_SCENE_CHARS,
  type ParseOptions,
  type ParsedScene,
  type ParsedScreenplay,
} from './parse';
export { OPENING_HEADING } from './scene-draft';
export { hashSceneText, normaliseSceneText } from './scene-hash';
