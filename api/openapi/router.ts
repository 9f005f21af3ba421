import { Router } from 'express';
import type { ApiContext } from '../context';

export function openapiRouter(_ctx: ApiContext): Router {
  return Router();
}
