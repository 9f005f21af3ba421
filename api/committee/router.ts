import { Router } from 'express';
import type { ApiContext } from '../context';

export function committeeRouter(_ctx: ApiContext): Router {
  return Router();
}
