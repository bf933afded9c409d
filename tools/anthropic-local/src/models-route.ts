import { ApiError } from './errors';
import { authorize, errorReply, type Exchange, type Reply } from './exchange';
import { toModelObject } from './models';

/** GET /v1/models and GET /v1/models/{id}; an alias answers with its pinned model. */
export async function handleModels(ex: Exchange): Promise<Reply> {
  try {
    authorize(ex);
    const id = ex.url.pathname.slice('/v1/models/'.length);
    if (ex.url.pathname === '/v1/models' || id === '') {
      return { status: 200, body: ex.state.catalogue.list(ex.url.searchParams) };
    }
    return { status: 200, body: toModelObject(ex.state.catalogue.resolve(decodeURIComponent(id))) };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return errorReply(err, ex.requestId);
  }
}
