export * from './marks';
export * from './store';
