/**
 * The channel simulator: seeded, deterministic physics between a flashing screen and a
 * receiver. Browser-safe (no Node built-ins).
 */
export { simulatePhotodiode, resolvePhotodiodeOptions, simulationRateFor, PHOTODIODE_DEFAULTS } from './photodiode.js';
export type { PhotodiodeChannelOptions, PhotodiodeCapture, PhotodiodeTruth, CapturedTransmission } from './photodiode.js';
export { DISPLAY_DEFAULTS, resolveDisplayOptions, scheduleDisplay, DisplayLight } from './display.js';
export type { DisplayOptions, DisplaySchedule, PanelType, TransmissionTruth } from './display.js';
export { LIGHT_PATH_DEFAULTS, resolveLightPathOptions, LightPath } from './light-path.js';
export type { LightPathOptions, ScreenLight } from './light-path.js';
export { SENSOR_DEFAULTS, resolveSensorOptions, Sensor } from './sensor.js';
export type { SensorOptions } from './sensor.js';
export { SAMPLER_DEFAULTS, resolveSamplerOptions, planSamples, SamplePicker } from './sampler.js';
export type { SamplerOptions, SamplePlan } from './sampler.js';
export { ADC_DEFAULTS, resolveAdcOptions, adcFullScale, Adc } from './adc.js';
export type { AdcOptions } from './adc.js';
export { srgbToLinear, linearToSrgb, srgbCodeToLinear } from '../util/srgb.js';
export { simulateCameraBrightness, cameraFrames, resolveCameraOptions, CAMERA_DEFAULTS, CAMERA_CHANNEL_DEFAULTS } from './camera.js';
export type { CameraOptions, CameraChannelOptions, CameraBrightness, CameraClip, CameraFrame, CameraTruth, FilmedTransmission, PatchRect } from './camera.js';
export { TIERS, TIER_INFO, FLASH_RATES, PHOTODIODE_TIER_NAMES, CAMERA_TIER_NAMES, typical, hard, swing005, flicker, pwmwide, slowlcd, cam240on60, cam120on60, cam60on30, cam60on60 } from './tiers.js';
export type { TierName, TierInfo, PhotodiodeTier, CameraTier, PhotodiodeTierName, CameraTierName } from './tiers.js';
