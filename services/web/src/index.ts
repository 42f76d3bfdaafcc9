export { createWebService, type WebService } from './service';
export { loadWebConfig, type WebConfig } from './config';
