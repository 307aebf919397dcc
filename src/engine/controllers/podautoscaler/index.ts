export { installHorizontalPodAutoscalerController, reconcileAutoscaler, CONTROLLER, SYNC_PERIOD_MS, SYNC_TIMER } from './horizontal.ts';
export { defaultHorizontalPodAutoscaler, hpaSpec } from './defaults.ts';
